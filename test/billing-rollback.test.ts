import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadMigrations } from '../src/adapters/db/migration-files.ts';
import { migrateDatabase } from '../src/services/db/migrate-database.ts';
import { rollbackDatabase } from '../src/services/db/rollback-database.ts';
import { syncPlans } from '../src/services/plans/sync-plans.ts';
import { cookiesFrom, postJson } from './support/accounts.ts';
import { apiClient, settleWebhooks } from './support/billing-flow.ts';
import { createTestContext, TEST_KEYS } from './support/context.ts';
import { describeEachBackend } from './support/databases.ts';
import { serveFullApp } from './support/full-app.ts';
import { postWebhook, signed } from './webhook-fixtures.ts';

// The billing group (ADR 0005): every migration numbered from 0100.
const BILLING_GROUP = loadMigrations()
  .map((m) => m.name)
  .filter((name) => name >= '0100');
const EMAIL = 'meera@example.com';
const PASSWORD = 'correct-horse-battery';

describeEachBackend('rolling billing back keeps accounts', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  let cookie = '';

  const api = apiClient(
    () => served.url,
    () => cookie,
  );
  const settle = () => settleWebhooks(t, get().db);

  /** Checkout through the emulator as the browser would: create, pay by card, verify, settle. */
  const subscribe = async (tier: string) => {
    const checkout = await api('/api/subscriptions', { body: { tier, cycle: 'monthly', seats: 1 } });
    expect(checkout.status).toBe(201);
    const paid = await fetch(`${t.emulatorUrl}/_emulator/checkout/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        subscription_id: checkout.body.checkout.subscription_id,
        instrument: 'card_success',
      }),
    });
    expect(paid.status).toBe(200);
    expect((await api('/api/subscriptions/verify', { body: await paid.json() })).status).toBe(200);
    await settle();
  };

  beforeAll(async () => {
    t = await createTestContext(get());
    expect((await syncPlans({ ctx: t.ctx })).ok).toBe(true);
    served = await serveFullApp(t.ctx);
    t.emulator.addWebhook({ url: `${served.url}/api/webhooks/razorpay`, secret: TEST_KEYS.webhookSecret });
  });
  afterAll(async () => {
    await served?.close();
    await t?.close();
  });

  it('a subscriber pays for navigator and stores a blueprint', async () => {
    const res = await postJson(served.app, '/api/auth/sign-up/email', {
      email: EMAIL,
      password: PASSWORD,
      name: 'Meera',
    });
    expect(res.status).toBe(200);
    cookie = cookiesFrom(res);
    await subscribe('navigator');
    expect((await api('/api/usage')).body).toMatchObject({ tier: 'navigator', limit: 25 });
    expect((await api('/api/blueprints', { body: { title: 'kept', content: { a: 1 } } })).status).toBe(201);
  });

  it('rolling billing back drops only billing; the subscriber signs in again and reaches their blueprints', async () => {
    const back = await rollbackDatabase({
      ctx: t.ctx,
      input: { to: '0099', confirmed: true, actor: 'cli:test', backup: false },
    });
    if (!back.ok || !back.value.confirmed) throw new Error('rollback failed');
    expect(back.value.rolledBack).toEqual([...BILLING_GROUP].reverse());
    expect(back.value.preview.accountsSurvive).toBe(true);
    expect(back.value.audited).toBe(true);

    cookie = '';
    const signIn = await postJson(served.app, '/api/auth/sign-in/email', {
      email: EMAIL,
      password: PASSWORD,
    });
    expect(signIn.status).toBe(200);
    cookie = cookiesFrom(signIn);
    expect((await api('/api/auth/get-session')).body).toMatchObject({ user: { email: EMAIL } });
    const list = await api('/api/blueprints');
    expect(list).toMatchObject({ status: 200, body: { items: [{ title: 'kept' }] } });
    expect((await api('/api/plans')).status).toBe(200);
    // What needs billing's tables or quota functions answers 503 naming the missing schema, never data or a 500.
    for (const path of ['/api/usage', '/api/subscriptions/current', '/api/payments']) {
      const r = await api(path);
      expect([path, r.status, r.body.error?.code]).toEqual([path, 503, 'database_unavailable']);
      expect(r.body.error.message).toMatch(/schema is incomplete.*polaris db migrate/);
      expect(r.res.headers.get('retry-after')).toBeTruthy();
    }
    // A signed webhook cannot be stored: 503, so Razorpay retries it after `db migrate`.
    const body = JSON.stringify({
      entity: 'event',
      account_id: 'acc_Polaris000001',
      event: 'payment.captured',
      contains: ['payment'],
      payload: { payment: { entity: { id: 'pay_Rollback00001' } } },
      created_at: 1_780_000_000,
    });
    const event = { id: 'EvtRollback0001', body };
    const delivery = signed(event, TEST_KEYS.webhookSecret);
    expect((await postWebhook(served.app, delivery.body, delivery.headers)).status).toBe(503);
    const newcomer = await postJson(served.app, '/api/auth/sign-up/email', {
      email: 'newcomer@example.com',
      password: PASSWORD,
      name: 'New',
    });
    expect(newcomer.status).toBe(200);
  });

  it('migrating forward brings billing back; the same account subscribes again', async () => {
    const forward = await migrateDatabase({ ctx: t.ctx, input: { actor: 'cli:test' } });
    if (!forward.ok) throw forward.error;
    expect(forward.value.applied).toEqual(BILLING_GROUP);
    expect(forward.value.schema.ok).toBe(true);
    expect((await api('/api/usage')).body).toMatchObject({ tier: 'free', limit: 2 });
    const profiles = await get()
      .db.selectFrom('user_profiles')
      .select(['email', 'subscription_tier'])
      .orderBy('email')
      .execute();
    expect(profiles).toEqual([
      { email: EMAIL, subscription_tier: 'free' },
      { email: 'newcomer@example.com', subscription_tier: 'free' },
    ]);
    await subscribe('voyager');
    expect((await api('/api/subscriptions/current')).body.subscription).toMatchObject({
      status: 'active',
      tier: 'voyager',
    });
    expect((await api('/api/usage')).body).toMatchObject({ tier: 'voyager' });
  });
});
