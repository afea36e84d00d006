import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RzpPayment } from '../src/adapters/razorpay/wire.ts';
import { reconcileWithRazorpay } from '../src/services/reconcile/reconcile-with-razorpay.ts';
import { settleWebhooks } from './support/billing-flow.ts';
import { runCliWith } from './support/cli-in-process.ts';
import { createTestContext, TEST_KEYS } from './support/context.ts';
import { describeEachBackend } from './support/databases.ts';
import { serveFullApp } from './support/full-app.ts';
import { createUser } from './support/seed.ts';
import { createNavigatorPlan, emulatorControl, subscribeAndPay } from './webhook-fixtures.ts';

const DAY = 86_400;

type Report = {
  ok: boolean;
  checked: number;
  drift: { entity: string; id: string; subscription: string; action: string; outcome?: string }[];
  repaired: number;
  left: string[];
  listed: boolean;
  failure: string | null;
  retries: number;
};

describeEachBackend('polaris reconcile against the emulator over HTTP', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  let planId: string;
  const subs: Record<'renewed' | 'failed' | 'cancelled' | 'unknown', string> = {
    renewed: '',
    failed: '',
    cancelled: '',
    unknown: '',
  };

  const cli = async (...args: string[]) => {
    const r = await runCliWith(t.ctx, ['--json', 'reconcile', ...args]);
    return { ...r, report: JSON.parse(r.stdout) as Report };
  };
  const faults = (body: unknown) => emulatorControl(t, '/_emulator/faults', body);
  const subscriber = async (email: string) => subscribeAndPay(t, await createUser(get().db, email), planId);

  // Razorpay's payments of a subscription, through every invoice's order.
  const razorpayPayments = async (subscriptionId: string): Promise<RzpPayment[]> => {
    const invoices = await t.ctx.gateway.listInvoices(subscriptionId, { count: 100 });
    if (!invoices.ok) throw invoices.error;
    const out: RzpPayment[] = [];
    for (const invoice of invoices.value.items) {
      const payments = await t.ctx.gateway.listOrderPayments(invoice.order_id as string);
      if (!payments.ok) throw payments.error;
      out.push(...payments.value.items);
    }
    return out;
  };

  // Our subscription and payments against Razorpay's: status, counts, cycle end and each payment's status.
  const expectSameAsRazorpay = async (subscriptionId: string) => {
    const theirs = await t.ctx.gateway.fetchSubscription(subscriptionId);
    if (!theirs.ok) throw theirs.error;
    const ours = await get()
      .db.selectFrom('subscriptions')
      .selectAll()
      .where('razorpay_subscription_id', '=', subscriptionId)
      .executeTakeFirstOrThrow();
    expect({
      status: ours.status,
      paid_count: ours.paid_count,
      current_end: ours.current_end?.getTime() ?? null,
    }).toEqual({
      status: theirs.value.status,
      paid_count: theirs.value.paid_count,
      current_end: theirs.value.current_end ? theirs.value.current_end * 1000 : null,
    });
    const payments = await get()
      .db.selectFrom('payments')
      .select(['razorpay_payment_id', 'status', 'amount'])
      .where('subscription_id', '=', ours.subscription_id)
      .execute();
    const expected = (await razorpayPayments(subscriptionId)).map((p) => ({
      razorpay_payment_id: p.id,
      status: p.status,
      amount: p.amount,
    }));
    const byId = (a: { razorpay_payment_id: string }, b: { razorpay_payment_id: string }) =>
      a.razorpay_payment_id < b.razorpay_payment_id ? -1 : 1;
    expect(payments.sort(byId)).toEqual(expected.sort(byId));
  };

  beforeAll(async () => {
    t = await createTestContext(get());
    planId = await createNavigatorPlan(t.ctx);
    served = await serveFullApp(t.ctx);
    t.emulator.addWebhook({ url: `${served.url}/api/webhooks/razorpay`, secret: TEST_KEYS.webhookSecret });
  });
  afterAll(async () => {
    await served?.close();
    await t?.close();
  });

  it('with webhooks dropped through a renewal, a failed charge, a cancellation and a new checkout, finds each drift and changes nothing', async () => {
    subs.renewed = await subscriber('rec-renewed@example.com');
    subs.failed = await subscriber('rec-failed@example.com');
    subs.cancelled = await subscriber('rec-cancelled@example.com');
    await settleWebhooks(t, get().db);
    const clean = await cli('--since', '24h');
    expect(clean.code).toBe(0);
    expect(clean.report).toMatchObject({ ok: true, drift: [], checked: 3 });

    await faults({ webhooks: { drop: 1 } });
    expect(t.emulator.failNextCharges(subs.failed, 1)).toBe(true);
    const cancelled = await t.ctx.gateway.cancelSubscription(subs.cancelled);
    expect(cancelled.ok).toBe(true);
    t.emulator.advanceClock(31 * DAY);
    subs.unknown = await subscriber('rec-unknown@example.com');
    await settleWebhooks(t, get().db);
    expect(t.emulator.deliveries().some((d) => d.status === 'dropped')).toBe(true);

    const before = await sql`SELECT count(*)::int AS n FROM audit_log`.execute(get().db);
    const found = await cli('--since', '24h');
    expect(found.code).toBe(1);
    expect(found.report.ok).toBe(false);
    const rows = found.report.drift.map((d) => `${d.entity} ${d.subscription} ${d.action}`);
    expect(rows).toEqual(
      expect.arrayContaining([
        `subscription ${subs.renewed} converge`,
        `payment ${subs.renewed} record`,
        `subscription ${subs.failed} converge`,
        `payment ${subs.failed} record`,
        `subscription ${subs.cancelled} converge`,
        `subscription ${subs.unknown} create from its notes`,
        `payment ${subs.unknown} record`,
      ]),
    );
    expect(found.report.drift.every((d) => d.outcome === undefined)).toBe(true);
    const failedRow = found.report.drift.find((d) => d.entity === 'subscription' && d.id === subs.failed);
    expect(failedRow).toMatchObject({ ours: { status: 'active' }, razorpay: { status: 'pending' } });
    const after = await sql`SELECT count(*)::int AS n FROM audit_log`.execute(get().db);
    expect(after.rows).toEqual(before.rows);
    const unknown = await get()
      .db.selectFrom('subscriptions')
      .select('subscription_id')
      .where('razorpay_subscription_id', '=', subs.unknown)
      .executeTakeFirst();
    expect(unknown).toBeUndefined();
  });

  it('--apply converges every drift through the state machine with one reconcile audit row per repair; our rows then equal Razorpay', async () => {
    const found = await cli('--since', '24h');
    const applied = await cli('--since', '24h', '--apply');
    expect(applied.code).toBe(0);
    expect(applied.report.ok).toBe(true);
    expect(applied.report.repaired).toBe(found.report.drift.length);
    expect(applied.report.drift.every((d) => d.outcome === 'applied')).toBe(true);
    const audit = await get()
      .db.selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('actor', '=', 'reconcile')
      .execute();
    expect(audit).toHaveLength(found.report.drift.length);
    for (const id of Object.values(subs)) await expectSameAsRazorpay(id);
    const profile = await get()
      .db.selectFrom('user_profiles')
      .select('subscription_tier')
      .where('email', '=', 'rec-cancelled@example.com')
      .executeTakeFirstOrThrow();
    expect(profile.subscription_tier).toBe('free');

    const again = await cli('--since', '24h');
    expect(again.code).toBe(0);
    expect(again.report).toMatchObject({ ok: true, drift: [], repaired: 0, left: [] });
    const twice = await cli('--since', '24h', '--apply');
    expect(twice.report).toMatchObject({ ok: true, drift: [], repaired: 0 });
  });

  it('backs off through 429s and finishes', async () => {
    await faults({ api_outage: { mode: 'rate_limit', duration_ms: 1_000 } });
    const r = await cli('--since', '24h');
    expect(r.code).toBe(0);
    expect(r.report.retries).toBeGreaterThan(0);
    expect(r.report).toMatchObject({ ok: true, drift: [], left: [] });
  });

  it('when Razorpay fails in the middle of the run, keeps what it applied and names the subscriptions left', async () => {
    // Three new drifts: renewals nobody heard of.
    t.emulator.advanceClock(31 * DAY);
    const targets = [subs.renewed, subs.failed, subs.unknown].sort();
    const ticked: string[] = [];
    const report = await reconcileWithRazorpay({
      ctx: t.ctx,
      input: {
        since: '24h',
        apply: true,
        concurrency: 1,
        backoff: { retries: 1, baseMs: 1 },
        progress: {
          start: () => {},
          tick: (id) => {
            ticked.push(id);
            if (ticked.length === 1)
              t.emulator.startApiOutage({ mode: 'error', status: 503, duration_ms: 600_000 });
          },
        },
      },
    });
    t.emulator.stopApiOutage();
    expect(report.failure).toMatch(/Razorpay answered 503/);
    expect(report.checked).toBe(ticked.length);
    const done = ticked.filter((id) => targets.includes(id));
    expect(report.left.length).toBeGreaterThan(0);
    expect(report.left.every((id) => !ticked.includes(id))).toBe(true);
    expect(report.drift.filter((d) => d.outcome === 'applied').length).toBe(report.repaired);
    for (const id of done) await expectSameAsRazorpay(id);

    const rest = await cli('--since', '24h', '--apply');
    expect(rest.code).toBe(0);
    for (const id of Object.values(subs)) await expectSameAsRazorpay(id);
  });

  it('through the CLI, an outage exits 1 naming every subscription not reconciled', async () => {
    t.emulator.advanceClock(31 * DAY);
    await faults({ api_outage: { mode: 'error', status: 502, duration_ms: 600_000 } });
    const r = await cli('--since', '24h', '--apply');
    const text = await runCliWith(t.ctx, ['reconcile', '--since', '24h']);
    await faults({ api_outage: null });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/not reconciled \(\d+\): sub_/);
    expect(text.stdout).toContain(subs.renewed);
    expect(r.code).toBe(1);
    expect(r.report).toMatchObject({ ok: false, listed: false, checked: 0 });
    expect(r.report.failure).toMatch(
      /Razorpay answered 502.*listing the subscriptions created in the window/,
    );
    expect(r.report.left).toEqual(expect.arrayContaining([subs.renewed, subs.failed]));
  });

  it('leaves for a person a Razorpay subscription whose notes name a user we do not have, writing nothing for it, and exits 1', async () => {
    const ghost = await subscribeAndPay(t, '00000000-0000-4000-8000-00000000dead', planId);
    const other = await subscribeAndPay(t, '11111111-1111-4111-8111-111111111111', planId);
    const r = await cli('--since', '24h', '--apply');
    expect(r.code).toBe(1);
    const rows = r.report.drift.filter((d) => d.subscription === ghost || d.subscription === other);
    expect(rows.length).toBeGreaterThan(0);
    for (const d of rows) expect(d.outcome).toMatch(/^not applied: .*does not exist here/);
    const stored = await get()
      .db.selectFrom('subscriptions')
      .select('subscription_id')
      .where('razorpay_subscription_id', 'in', [ghost, other])
      .execute();
    expect(stored).toEqual([]);
    const text = await runCliWith(t.ctx, ['reconcile', '--since', '24h']);
    expect(text.stdout).toContain('create from its notes');
  });

  it('refuses a bad --since and a bad --concurrency with exit 2, writing nothing', async () => {
    const before = await sql`SELECT count(*)::int AS n FROM audit_log`.execute(get().db);
    const since = await runCliWith(t.ctx, ['reconcile', '--since', 'yesterday']);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since "yesterday": expected a window like 30m, 24h or 7d/);
    const zero = await runCliWith(t.ctx, ['reconcile', '--since', '0h']);
    expect(zero.code).toBe(2);
    const conc = await runCliWith(t.ctx, ['reconcile', '--concurrency', '100']);
    expect(conc.code).toBe(2);
    expect(conc.stderr).toMatch(/--concurrency "100": expected a whole number from 1 to 32/);
    const after = await sql`SELECT count(*)::int AS n FROM audit_log`.execute(get().db);
    expect(after.rows).toEqual(before.rows);
  });
});
