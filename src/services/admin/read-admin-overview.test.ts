import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { createUser, rzpId } from '../../../test/support/seed.ts';
import type { PaymentStatus } from '../../domain/billing-state.ts';
import { openIncident } from '../incidents/open-incident.ts';
import { readAdminOverview } from './read-admin-overview.ts';

const MINUTE = 60_000;

describeEachBackend('readAdminOverview', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;

  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts payment outcomes per window, the backlog, failed events, open incidents, the last verify and drill', async () => {
    const db = get().db;
    const now = t.ctx.now().getTime();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * MINUTE);
    const userId = await createUser(db, 'overview@example.com');
    const payment = (status: PaymentStatus, minutesAgo: number) => ({
      user_id: userId,
      razorpay_payment_id: rzpId('pay'),
      amount: 349_900,
      status,
      amount_refunded: status === 'refunded' ? 349_900 : 0,
      created_at: at(minutesAgo),
    });
    // 15 min: 3 captured, 1 failed (a created one has no outcome yet); 24 h adds 1 captured, 1 failed;
    // one two days old counts in neither.
    await db
      .insertInto('payments')
      .values([
        payment('captured', 1),
        payment('captured', 2),
        payment('refunded', 3),
        payment('failed', 4),
        payment('created', 5),
        payment('captured', 60),
        payment('failed', 600),
        payment('failed', 2 * 24 * 60),
      ])
      .execute();
    const event = (id: string, status: 'pending' | 'failed' | 'processed', minutesAgo: number) => ({
      event_id: id,
      event_type: 'payment.captured',
      payload: '{}',
      processing_status: status,
      error_message: status === 'failed' ? 'bad_request: no such payment' : null,
      created_at: at(minutesAgo),
    });
    await db
      .insertInto('razorpay_webhook_events')
      .values([
        event('OverviewPend001', 'pending', 90),
        event('OverviewPend002', 'pending', 5),
        event('OverviewFail001', 'failed', 30),
        event('OverviewDone001', 'processed', 10),
      ])
      .execute();
    await openIncident({
      ctx: t.ctx,
      input: { severity: 'high', type: 'infrastructure', title: 'Checkout slow', actor: 'test' },
    });
    await t.ctx.repos.audit.record({
      actor: 'cli:ops',
      action: 'verify.release_event',
      target: 'OverviewPend001',
    });
    await t.ctx.repos.drills.record({
      backupId: 'b1',
      engine: 'pglite',
      ok: true,
      differing: [],
      phases: { restore: 1000 },
      recoveryMs: 42_000,
      actor: 'cli:ops',
      startedAt: at(120),
    });

    const view = await readAdminOverview({ ctx: t.ctx });
    expect(view.success15m).toEqual({ attempts: 4, failed: 1, rate: 0.75 });
    expect(view.success24h).toEqual({ attempts: 6, failed: 2, rate: 4 / 6 });
    expect(view.backlog).toEqual({
      pending: 2,
      oldest: expect.objectContaining({ eventId: 'OverviewPend001', ageSeconds: 90 * 60 }),
    });
    expect(view.failedEvents24h).toBe(1);
    expect(view.openIncidents.map((i) => i.title)).toEqual(['Checkout slow']);
    expect(view.lastVerify).toMatchObject({ action: 'verify.release_event', actor: 'cli:ops' });
    expect(view.lastDrill).toMatchObject({ ok: true, recovery_ms: 42_000 });
    expect(view.flags.flags.map((f) => f.name)).toEqual(['payments', 'maintenance', 'read_only']);
  });
});
