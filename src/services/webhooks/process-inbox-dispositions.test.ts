import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_AUTH } from '../../../test/support/accounts.ts';
import { createTestContext, TEST_KEYS } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { allSamples } from '../../../test/support/razorpay-samples.ts';
import { createUser } from '../../../test/support/seed.ts';
import { createNavigatorPlan } from '../../../test/webhook-fixtures.ts';
import { assembleContext } from '../../wiring/context.ts';
import { processInbox } from './process-inbox.ts';

describeEachBackend('processInbox: events Polaris can never apply', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let planId: string;
  beforeAll(async () => {
    t = await createTestContext(get());
    planId = await createNavigatorPlan(t.ctx);
  });
  afterAll(async () => {
    await t?.close();
  });

  const row = (eventId: string) =>
    get()
      .db.selectFrom('razorpay_webhook_events')
      .select(['processing_status', 'attempts', 'error_message'])
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow();
  const subscriptionRows = (razorpayId: string) =>
    get()
      .db.selectFrom('subscriptions')
      .select(['status', 'user_id'])
      .where('razorpay_subscription_id', '=', razorpayId)
      .execute();

  /** Pays a Razorpay subscription with the given notes; returns its id and the events it raised. */
  async function paidSubscription(notes: Record<string, string>) {
    const from = t.emulator.events().length;
    const sub = await t.ctx.gateway.createSubscription({ planId, totalCount: 12, notes });
    if (!sub.ok) throw sub.error;
    expect(
      t.emulator.completeCheckout({ subscription_id: sub.value.id, instrument: 'card_success' }).ok,
    ).toBe(true);
    const events = t.emulator.events().slice(from);
    const activated = events.find((e) => e.event === 'subscription.activated');
    if (!activated) throw new Error('no subscription.activated');
    return { id: sub.value.id, activated };
  }

  /** A Polaris user and a paid subscription carrying checkout's notes for them, but no row of ours. */
  async function ourPaidSubscription(email: string) {
    const userId = await createUser(get().db, email);
    const paid = await paidSubscription({
      polaris_user_id: userId,
      polaris_tier: 'navigator',
      polaris_cycle: 'monthly',
    });
    return { userId, ...paid };
  }

  const store = (event: { id: string; event: string; body: string }) =>
    t.ctx.repos.inbox.insertEvent({ event_id: event.id, event_type: event.event, payload: event.body });

  it("skips, on the first attempt, an event for a subscription whose notes carry no Polaris user (another product's)", async () => {
    const foreign = await paidSubscription({ product: 'someone-else' });
    await store(foreign.activated);
    const pass = await processInbox({ ctx: t.ctx, input: { backoffMs: 0 } });
    expect(pass).toMatchObject({ claimed: 1, skipped: 1, retried: 0, failed: 0 });
    const stored = await row(foreign.activated.id);
    expect(stored).toMatchObject({ processing_status: 'skipped', attempts: 1 });
    expect(stored.error_message).toMatch(/carries no Polaris user in its notes/);
    expect(await subscriptionRows(foreign.id)).toEqual([]);
    expect(t.logLines.some((l) => l.includes('event skipped') && l.includes(foreign.activated.id))).toBe(
      true,
    );
  });

  it("creates a subscription from an event only as Razorpay's own copy says: forged notes grant nothing", async () => {
    const victim = await createUser(get().db, 'forged-notes@example.com');
    const foreign = await paidSubscription({});
    const envelope = JSON.parse(foreign.activated.body);
    envelope.payload.subscription.entity.notes = {
      polaris_user_id: victim,
      polaris_tier: 'navigator',
      polaris_cycle: 'monthly',
    };
    const forged = { ...foreign.activated, id: 'ForgedNotes001', body: JSON.stringify(envelope) };
    await store(forged);
    const pass = await processInbox({ ctx: t.ctx, input: { backoffMs: 0 } });
    expect(pass).toMatchObject({ claimed: 1, failed: 1 });
    const stored = await row(forged.id);
    expect(stored).toMatchObject({ processing_status: 'failed', attempts: 1 });
    expect(stored.error_message).toMatch(/differ from Razorpay's copy/);
    expect(await subscriptionRows(foreign.id)).toEqual([]);
    const profile = await get()
      .db.selectFrom('user_profiles')
      .select('subscription_tier')
      .where('user_id', '=', victim)
      .executeTakeFirstOrThrow();
    expect(profile.subscription_tier).toBe('free');
    expect(t.logLines.some((l) => l.includes('webhook_notes_mismatch'))).toBe(true);
  });

  it('creates a subscription that carries our notes but has no row (a database restored from before it), from Razorpay', async () => {
    const { userId, ...ours } = await ourPaidSubscription('restored@example.com');
    await store(ours.activated);
    const pass = await processInbox({ ctx: t.ctx, input: { backoffMs: 0 } });
    expect(pass).toMatchObject({ claimed: 1, processed: 1 });
    expect(await subscriptionRows(ours.id)).toEqual([{ status: 'active', user_id: userId }]);
  });

  it('parks at once, without backoff, an event whose Razorpay fetch is refused with a 4xx other than 429', async () => {
    const { userId, ...ours } = await ourPaidSubscription('refused@example.com');
    const event = { ...ours.activated, id: 'RefusedFetch01' };
    await store(event);
    // Wrong key secret: Razorpay answers 401, which no retry changes.
    const refused = assembleContext({
      db: get().db,
      url: get().url,
      kind: 'postgres',
      gateway: {
        baseUrl: t.emulatorUrl,
        keyId: TEST_KEYS.keyId,
        keySecret: 'not-the-secret-000',
        retries: 1,
      },
      auth: { db: get().db, ...TEST_AUTH },
      settings: t.ctx.settings,
      log: t.ctx.log,
    });
    const pass = await processInbox({ ctx: refused, input: { backoffMs: 60_000 } });
    expect(pass).toMatchObject({ claimed: 1, failed: 1, retried: 0 });
    const stored = await row(event.id);
    expect(stored).toMatchObject({ processing_status: 'failed', attempts: 1 });
    expect(stored.error_message).toMatch(/Razorpay answered 401/);
  });

  it('retries with backoff when Razorpay does not answer (5xx), keeping the event pending', async () => {
    const { userId, ...ours } = await ourPaidSubscription('outage@example.com');
    const event = { ...ours.activated, id: 'OutageFetch001' };
    await store(event);
    t.emulator.startApiOutage({ mode: 'error', status: 503, duration_ms: 60_000 });
    try {
      const pass = await processInbox({ ctx: t.ctx, input: { backoffMs: 60_000 } });
      expect(pass).toMatchObject({ claimed: 1, retried: 1 });
    } finally {
      t.emulator.stopApiOutage();
    }
    const stored = await row(event.id);
    expect(stored).toMatchObject({ processing_status: 'pending', attempts: 1 });
    expect(stored.error_message).toMatch(/Razorpay answered 503/);
  });

  it("skips Razorpay's own documented subscription.* sample events (ids unknown to this account) within three attempts", async () => {
    const samples = allSamples('events').filter(
      (sample) => sample.file.startsWith('subscription.') && typeof sample.json.created_at === 'number',
    );
    expect(samples.length).toBeGreaterThanOrEqual(10);
    for (const [i, sample] of samples.entries()) {
      await store({
        id: `DocSample${String(i).padStart(5, '0')}`,
        event: String(sample.json.event),
        body: sample.text,
      });
    }
    for (let pass = 0; pass < 3; pass++) await processInbox({ ctx: t.ctx, input: { backoffMs: 0 } });
    const rows = await get()
      .db.selectFrom('razorpay_webhook_events')
      .select(['event_id', 'processing_status', 'attempts', 'error_message'])
      .where('event_id', 'like', 'DocSample%')
      .execute();
    expect(rows).toHaveLength(samples.length);
    for (const r of rows) {
      expect(r.processing_status, r.event_id).toBe('skipped');
      expect(r.attempts).toBeLessThanOrEqual(3);
      expect(r.error_message).toMatch(/does not exist|no Polaris user/);
    }
  });
});
