import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TEST_AUTH } from '../../../test/support/accounts.ts';
import { subscribeAndPay } from '../../../test/support/billing-flow.ts';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetFlags } from '../../../test/support/flags.ts';
import { fullApp } from '../../../test/support/full-app.ts';
import { createKysely, type KyselyHandle } from '../../adapters/db/connection.ts';
import { findFreePort } from '../../adapters/db/port-probe.ts';
import { setFlag } from '../../services/flags/set-flag.ts';
import { syncPlans } from '../../services/plans/sync-plans.ts';

const HTML = 'text/html,application/xhtml+xml,*/*;q=0.8';
type App = ReturnType<typeof fullApp>;

/** GET as a browser would. */
const view = (app: App, path: string, cookie?: string) =>
  app.request(path, { headers: { accept: HTML, ...(cookie ? { cookie } : {}) } });
/** A form post as a browser on our origin sends it. */
const submit = (app: App, path: string, fields: Record<string, string>, cookie?: string) =>
  app.request(path, {
    method: 'POST',
    headers: {
      accept: HTML,
      'content-type': 'application/x-www-form-urlencoded',
      origin: TEST_AUTH.baseUrl,
      ...(cookie ? { cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });

describeEachBackend('/account: plan, usage, payments and its forms', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let app: App;

  beforeAll(async () => {
    t = await createTestContext(get());
    expect((await syncPlans({ ctx: t.ctx })).ok).toBe(true);
    app = fullApp(t.ctx);
  });
  afterEach(async () => {
    await resetFlags(get().db);
  });
  afterAll(async () => {
    await t?.close();
  });

  const userId = async (email: string) =>
    (
      await get()
        .db.selectFrom('user_profiles')
        .select('user_id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).user_id;
  const rowsOf = async (email: string) =>
    get()
      .db.selectFrom('subscriptions')
      .selectAll()
      .where('user_id', '=', await userId(email))
      .orderBy('created_at')
      .execute();
  const auditOf = async (email: string) =>
    get()
      .db.selectFrom('audit_log')
      .select('action')
      .where('actor', '=', `user:${await userId(email)}`)
      .orderBy('id')
      .execute();
  /** Signs up, buys `tier` monthly through the API and pays on the emulator: an active subscriber. */
  const subscriber = async (email: string, tier = 'navigator') => {
    const { cookie } = await signUp(app, email);
    const { rzpId } = await subscribeAndPay(app, t.emulatorUrl, cookie, { tier, cycle: 'monthly' });
    return { cookie, rzpId };
  };
  const remote = (rzpId: string) => t.emulator.ctx.state.subscriptions.get(rzpId);
  const flag = (name: string, state: 'on' | 'off', message?: string) =>
    setFlag({ ctx: t.ctx, input: { name, state, reason: 'account page test', actor: 'test', message } });

  it('sends a visitor to sign-in, for the page and for its forms', async () => {
    const page = await view(app, '/account?page=2');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent('/account?page=2')}`);
    for (const path of ['/account/cancel', '/account/plan']) {
      const res = await submit(app, path, {
        when: 'now',
        confirm: 'CANCEL',
        tier: 'voyager',
        cycle: 'monthly',
      });
      expect([path, res.status, res.headers.get('location')]).toEqual([path, 303, '/sign-in']);
    }
  });

  it('shows a free user their plan, usage bar and no subscription to cancel', async () => {
    const { cookie } = await signUp(app, 'acct-free@example.com');
    const res = await view(app, '/account', cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/id="plan-tier"[^>]*>Free</);
    expect(html).toContain('0 of 2 blueprints');
    expect(html).toMatch(/<meter id="usage-meter"[^>]*max="2"/);
    expect(html).toContain('No payments yet.');
    expect(html).toContain('You have no subscription to cancel.');
    expect(html).not.toContain('id="cancel-form"');
    expect(html).toContain('href="/pricing"');
  });

  it('refuses a page number that is not a whole number from 1 (400 naming page)', async () => {
    const { cookie } = await signUp(app, 'acct-pages@example.com');
    for (const bad of ['0', '-1', 'abc', '1.5', '100001']) {
      const res = await view(app, `/account?page=${bad}`, cookie);
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('page:');
    }
  });

  it('shows a subscriber tier, cycle, seats, status, the next charge in ₹, and their payment; stores short_url', async () => {
    const { cookie, rzpId } = await subscriber('acct-sub@example.com');
    const [row] = await rowsOf('acct-sub@example.com');
    expect(row?.short_url).toBe(remote(rzpId)?.short_url);
    expect(row?.short_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const html = await (await view(app, '/account', cookie)).text();
    expect(html).toMatch(/id="plan-tier"[^>]*>Navigator</);
    expect(html).toMatch(/id="plan-status"[^>]*>active</);
    expect(html).toMatch(/id="next-charge"[^>]*>₹3,499 on \d{4}-\d\d-\d\d \d\d:\d\d UTC</);
    expect(html).toContain('0 of 25 blueprints');
    expect(html).toMatch(/<td>₹3,499<\/td><td>Paid<\/td><td>Card<\/td><td>—<\/td>/);
    expect(html).toContain('id="cancel-form"');
    expect(html).toContain('id="change-plan-form"');
    expect(html).not.toContain('notice-pending');
  });

  it('pages the payment history ten at a time with next and prev links', async () => {
    const { cookie } = await subscriber('acct-many@example.com');
    const [row] = await rowsOf('acct-many@example.com');
    await get()
      .db.insertInto('payments')
      .values(
        Array.from({ length: 11 }, (_, i) => ({
          subscription_id: row!.subscription_id,
          user_id: row!.user_id,
          razorpay_payment_id: `pay_AcctPage${String(i).padStart(6, '0')}`,
          amount: 349_900,
          status: i === 0 ? ('refunded' as const) : ('captured' as const),
          method: 'upi',
          amount_refunded: i === 0 ? 349_900 : 0,
          refund_status: i === 0 ? ('full' as const) : null,
          created_at: new Date(Date.UTC(2020, 0, 1 + i)),
        })),
      )
      .execute();
    const first = await (await view(app, '/account', cookie)).text();
    expect(first.match(/<tr><td>/g)).toHaveLength(10);
    expect(first).toContain('rel="next" href="/account?page=2#payments"');
    expect(first).not.toContain('rel="prev"');
    const second = await (await view(app, '/account?page=2', cookie)).text();
    expect(second.match(/<tr><td>/g)).toHaveLength(2);
    expect(second).toContain('₹3,499 (full)');
    expect(second).toContain('rel="prev" href="/account?page=1#payments"');
    expect(second).not.toContain('rel="next"');
    const beyond = await view(app, '/account?page=9', cookie);
    expect(beyond.status).toBe(200);
    expect(await beyond.text()).toContain('No payments on this page.');
  });

  it('refuses a cancel without the typed confirmation (400 beside the field); nothing changes', async () => {
    const { cookie, rzpId } = await subscriber('acct-unsure@example.com');
    const before = await rowsOf('acct-unsure@example.com');
    const auditBefore = await auditOf('acct-unsure@example.com');
    const attempts: Record<string, string>[] = [
      { when: 'now', confirm: '' },
      { when: 'now', confirm: 'cancel please' },
      { when: 'now' },
      { when: 'tomorrow', confirm: 'CANCEL' },
    ];
    for (const fields of attempts) {
      const res = await submit(app, '/account/cancel', fields, cookie);
      expect([fields, res.status]).toEqual([fields, 400]);
      const html = await res.text();
      expect(html).toMatch(/Nothing was changed: (confirm|when):/);
      if (fields.when !== 'now') expect(html).toContain('id="when-error">when:');
      if (fields.when === 'now') {
        expect(html).toMatch(/id="confirm-error">confirm: (type CANCEL|.*string)/);
        expect(html).toContain('aria-describedby="confirm-error"');
      }
    }
    expect(await rowsOf('acct-unsure@example.com')).toEqual(before);
    expect(await auditOf('acct-unsure@example.com')).toEqual(auditBefore);
    expect(remote(rzpId)?.status).toBe('active');
  });

  it('cancels at cycle end, then now; after that there is nothing to cancel (404 page)', async () => {
    const { cookie, rzpId } = await subscriber('acct-leaver@example.com');
    const later = await submit(app, '/account/cancel', { when: 'cycle_end', confirm: 'CANCEL' }, cookie);
    expect(later.status).toBe(303);
    expect(later.headers.get('location')).toBe('/account?done=cancel-scheduled');
    const scheduled = await (await view(app, '/account?done=cancel-scheduled', cookie)).text();
    expect(scheduled).toContain('will end at the end of the current period');
    expect(scheduled).toMatch(/id="next-charge"[^>]*>None: it ends on/);
    expect((await rowsOf('acct-leaver@example.com'))[0]).toMatchObject({
      status: 'active',
      cancel_at_cycle_end: true,
    });
    expect(remote(rzpId)?.status).toBe('active');

    const now = await submit(app, '/account/cancel', { when: 'now', confirm: ' CANCEL ' }, cookie);
    expect(now.headers.get('location')).toBe('/account?done=cancelled');
    expect((await rowsOf('acct-leaver@example.com'))[0]?.status).toBe('cancelled');
    expect(remote(rzpId)?.status).toBe('cancelled');
    expect((await auditOf('acct-leaver@example.com')).map((a) => a.action)).toEqual(
      expect.arrayContaining(['subscription.cancel_at_cycle_end', 'subscription.cancel']),
    );

    const none = await submit(app, '/account/cancel', { when: 'now', confirm: 'CANCEL' }, cookie);
    expect(none.status).toBe(404);
    expect(await none.text()).toContain('you have no subscription to cancel');
  });

  it('refuses a plan change to an unknown or unsellable tier, a bad cycle or bad seats (400); nothing changes', async () => {
    const { cookie, rzpId } = await subscriber('acct-picky@example.com');
    const before = await rowsOf('acct-picky@example.com');
    const cases: [Record<string, string>, string][] = [
      [{ tier: 'platinum', cycle: 'monthly' }, 'tier'],
      [{ tier: 'free', cycle: 'monthly' }, 'tier'],
      [{ tier: 'enterprise', cycle: 'yearly' }, 'tier'],
      [{ tier: 'voyager', cycle: 'weekly' }, 'cycle'],
      [{ tier: 'crew', cycle: 'monthly', seats: '0' }, 'seats'],
      [{ tier: 'crew', cycle: 'monthly', seats: 'two' }, 'seats'],
      [{ tier: 'crew', cycle: 'monthly', seats: '1001' }, 'seats'],
      [{ tier: 'voyager', cycle: 'monthly', seats: '2.5' }, 'seats'],
    ];
    for (const [fields, field] of cases) {
      const res = await submit(app, '/account/plan', fields, cookie);
      expect([fields, res.status]).toEqual([fields, 400]);
      expect(await res.text()).toContain(`id="${field}-error">${field}:`);
    }
    expect(await rowsOf('acct-picky@example.com')).toEqual(before);
    expect(remote(rzpId)).toMatchObject({
      status: 'active',
      quantity: 1,
      plan_id: before[0]?.razorpay_plan_id,
    });
  });

  it('changes plan in place through checkout, priced by the server, with the same audit row as the API', async () => {
    const { cookie, rzpId } = await subscriber('acct-upgrade@example.com');
    // Razorpay refuses plan changes on card mandates (409 on the page); another mandate allows them.
    const refused = await submit(app, '/account/plan', { tier: 'voyager', cycle: 'monthly' }, cookie);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toMatch(/Nothing was changed: your Navigator subscription is active/);
    remote(rzpId)!.payment_method = 'netbanking';
    const res = await submit(app, '/account/plan', { tier: 'crew', cycle: 'yearly', seats: '3' }, cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account?done=plan-changed');
    expect((await rowsOf('acct-upgrade@example.com'))[0]).toMatchObject({
      subscription_tier: 'crew',
      billing_cycle: 'yearly',
      seats: 3,
      plan_amount: 3 * 1_999_000,
    });
    expect(remote(rzpId)?.quantity).toBe(3);
    expect((await auditOf('acct-upgrade@example.com')).map((a) => a.action)).toContain(
      'subscription.change_plan',
    );
    const html = await (await view(app, '/account?done=plan-changed', cookie)).text();
    expect(html).toContain('Your plan is changed.');
    expect(html).toContain('0 of 30 blueprints');
  });

  it('payments off: a banner, the change form disabled, and a change answers a 503 page; nothing changes', async () => {
    const { cookie, rzpId } = await subscriber('acct-paused@example.com');
    remote(rzpId)!.payment_method = 'netbanking';
    await flag('payments', 'off', 'Razorpay incident');
    const html = await (await view(app, '/account', cookie)).text();
    expect(html).toContain('id="banner-payments"');
    expect(html).toMatch(/<form id="change-plan-form"[^>]*><fieldset disabled/);
    expect(html).toMatch(/<form id="cancel-form"[^>]*><fieldset>/);
    const before = await rowsOf('acct-paused@example.com');
    const res = await submit(app, '/account/plan', { tier: 'voyager', cycle: 'monthly' }, cookie);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Razorpay incident');
    expect(await rowsOf('acct-paused@example.com')).toEqual(before);
    expect(remote(rzpId)?.plan_id).toBe(before[0]?.razorpay_plan_id);
  });

  it('maintenance: a banner, every form disabled, and posts answer a 503 page; nothing changes', async () => {
    const { cookie, rzpId } = await subscriber('acct-maint@example.com');
    await flag('maintenance', 'on', 'Upgrading the database');
    const html = await (await view(app, '/account', cookie)).text();
    expect(html).toContain('id="banner-maintenance"');
    expect(html).toMatch(/<form id="change-plan-form"[^>]*><fieldset disabled/);
    expect(html).toMatch(/<form id="cancel-form"[^>]*><fieldset disabled/);
    const before = await rowsOf('acct-maint@example.com');
    for (const [path, fields] of [
      ['/account/cancel', { when: 'now', confirm: 'CANCEL' }],
      ['/account/plan', { tier: 'voyager', cycle: 'monthly' }],
    ] as const) {
      const res = await submit(app, path, fields, cookie);
      expect([path, res.status]).toEqual([path, 503]);
      expect(await res.text()).toContain('Upgrading the database');
    }
    expect(await rowsOf('acct-maint@example.com')).toEqual(before);
    expect(remote(rzpId)?.status).toBe('active');
  });

  it('the ADMIN_TOKEN has no account page (403)', async () => {
    const res = await app.request('/account', {
      headers: { accept: HTML, authorization: `Bearer ${TEST_AUTH.adminToken}` },
    });
    expect(res.status).toBe(403);
  });
});

describe('/account over a database that cannot be reached', () => {
  let handle: KyselyHandle;
  let h: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    const url = `postgresql://polaris@127.0.0.1:${await findFreePort()}/none`;
    handle = createKysely(url, { max: 1 });
    h = await createTestContext({ ...handle, url, backend: 'postgres', close: async () => {} });
  });
  afterAll(async () => {
    await h?.close();
    await handle?.db.destroy();
  });

  it('answers an HTML 503 page to the page and to its forms, never a crash', async () => {
    const app = fullApp(h.ctx);
    const cookie = 'better-auth.session_token=some.session';
    for (const res of [
      await view(app, '/account', cookie),
      await submit(app, '/account/cancel', { when: 'now', confirm: 'CANCEL' }, cookie),
    ]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('href="/status"');
    }
  });
});
