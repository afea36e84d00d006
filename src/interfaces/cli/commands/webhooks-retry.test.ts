import { userInfo } from 'node:os';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCliWith } from '../../../../test/support/cli-in-process.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { createUser } from '../../../../test/support/seed.ts';
import {
  createNavigatorPlan,
  parkDeliveriesAsFailed,
  subscribeAndPay,
} from '../../../../test/webhook-fixtures.ts';
import { processInbox } from '../../../services/webhooks/process-inbox.ts';

const ACTOR = `cli:${userInfo().username}`;

describeEachBackend('polaris webhooks retry', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let userId: string;
  const cli = (...args: string[]) => runCliWith(t.ctx, args);
  const events = () =>
    get()
      .db.selectFrom('razorpay_webhook_events')
      .select(['event_id', 'event_type', 'processing_status', 'attempts', 'error_message', 'processed_at'])
      .orderBy('id')
      .execute();
  const retryAudits = () =>
    get()
      .db.selectFrom('audit_log')
      .select(['actor', 'action', 'target', 'reason', 'details'])
      .where('action', '=', 'webhook.retry')
      .orderBy('id')
      .execute();
  const billing = async () => ({
    profile: await get()
      .db.selectFrom('user_profiles')
      .select(['subscription_tier', 'subscription_id'])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow(),
    subscriptions: await get().db.selectFrom('subscriptions').selectAll().execute(),
    payments: await get().db.selectFrom('payments').selectAll().execute(),
  });

  beforeAll(async () => {
    t = await createTestContext(get());
    userId = await createUser(get().db, `retry-${get().backend}@example.com`);
    await subscribeAndPay(t, userId, await createNavigatorPlan(t.ctx));
    // Real deliveries received while Razorpay's API is down, parked as failed.
    await parkDeliveriesAsFailed(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('retry --failed without --yes lists the failed events oldest first and changes nothing (exit 2)', async () => {
    const failed = (await events()).filter((e) => e.processing_status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect((await billing()).profile.subscription_tier).toBe('free');
    const before = await events();
    const r = await cli('webhooks', 'retry', '--failed');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`would retry ${failed.length} failed event`);
    for (const e of failed) expect(r.stdout).toContain(e.event_id);
    expect(r.stderr).toMatch(/run again with --yes to confirm\n$/);
    expect(await events()).toEqual(before);
    expect(await retryAudits()).toEqual([]);
  });

  it('retry --failed --yes applies them through the processor, oldest first, with one audit row', async () => {
    const failed = (await events()).filter((e) => e.processing_status === 'failed');
    const r = await cli('--json', 'webhooks', 'retry', '--failed', '--yes', '--reason', 'Razorpay API back');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: true, requeued: failed.length });
    expect(report.outcomes.map((o: { eventId: string }) => o.eventId)).toEqual(failed.map((e) => e.event_id));
    expect(report.outcomes.every((o: { result: string }) => o.result === 'processed')).toBe(true);
    expect((await events()).every((e) => e.processing_status === 'processed')).toBe(true);
    const after = await billing();
    expect(after.profile.subscription_tier).toBe('navigator');
    expect(after.subscriptions).toMatchObject([{ status: 'active', user_id: userId }]);
    expect(await retryAudits()).toEqual([
      {
        actor: ACTOR,
        action: 'webhook.retry',
        target: failed.length === 1 ? failed[0]?.event_id : `${failed.length} webhook events`,
        reason: 'Razorpay API back',
        details: { eventIds: failed.map((e) => e.event_id), failed: true, since: null },
      },
    ]);
  });

  it('retrying again changes nothing and says so: --failed finds none, an id is already processed', async () => {
    const rows = await events();
    const state = await billing();
    const again = await cli('webhooks', 'retry', '--failed', '--yes');
    expect(again).toEqual({
      code: 0,
      stdout: 'no failed events in the window; nothing to retry\n',
      stderr: '',
    });
    const id = rows[0]?.event_id ?? '';
    const one = await cli('webhooks', 'retry', id);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('retried 1 event, oldest first; 0 put back for processing\n');
    expect(one.stdout).toContain('already processed; nothing changed');
    expect(await events()).toEqual(rows);
    expect(await billing()).toEqual(state);
    expect(await retryAudits()).toHaveLength(1);
    const shown = await cli('webhooks', 'show', id);
    expect(shown.stdout).toMatch(new RegExp(`operator retries\\s+\\S+ by ${ACTOR} \\(Razorpay API back\\)`));
  });

  it('a named event waiting on its backoff is made due now; one a worker still holds is waited for, not taken', async () => {
    const [first] = await events();
    const body = t.emulator.events().find((e) => e.id === first?.event_id)?.body ?? '';
    // The same delivery under new ids: one pending an hour out, one claimed by a worker that died
    // (its lease runs out in 2 s). Applying an event already applied changes nothing.
    await get()
      .db.insertInto('razorpay_webhook_events')
      .values([
        {
          event_id: 'RetryLater0001',
          event_type: first?.event_type ?? '',
          payload: body,
          attempts: 1,
          next_attempt_at: sql<Date>`now() + interval '1 hour'`,
        },
        {
          event_id: 'RetryHeld00001',
          event_type: first?.event_type ?? '',
          payload: body,
          attempts: 1,
          processing_status: 'processing',
          next_attempt_at: sql<Date>`now() + interval '2 seconds'`,
        },
      ])
      .execute();
    const state = await billing();
    const r = await cli('--json', 'webhooks', 'retry', 'RetryHeld00001', 'RetryLater0001');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.requeued).toBe(1);
    expect(
      report.outcomes
        .map((o: { eventId: string; before: string; result: string }) => [o.eventId, o.before, o.result])
        .sort(),
    ).toEqual([
      ['RetryHeld00001', 'processing', 'processed'],
      ['RetryLater0001', 'pending', 'processed'],
    ]);
    expect((await events()).filter((e) => e.event_id.startsWith('Retry')).map((e) => e.attempts)).toEqual([
      2, 2,
    ]);
    expect(await billing()).toEqual(state);
    expect((await retryAudits()).at(-1)).toMatchObject({
      target: 'RetryLater0001',
      details: { eventIds: ['RetryLater0001'] },
    });
  });

  it('an event that fails again is reported failed, with its error, and the command exits 1', async () => {
    const bad =
      '{"entity":"event","account_id":"acc_x","event":"payment.captured","contains":["payment"],"payload":{"payment":{"entity":{"id":"nope"}}},"created_at":1}';
    await t.ctx.repos.inbox.insertEvent({
      event_id: 'RetryBad000001',
      event_type: 'payment.captured',
      payload: bad,
    });
    await processInbox({ ctx: t.ctx });
    const r = await cli('webhooks', 'retry', 'RetryBad000001');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('failed again');
    expect(r.stdout).toContain('bad_request: ');
    const [row] = (await events()).filter((e) => e.event_id === 'RetryBad000001');
    expect(row).toMatchObject({ processing_status: 'failed', attempts: 2 });
    expect((await retryAudits()).at(-1)).toMatchObject({ target: 'RetryBad000001' });
  });
});
