import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { billingApp } from '../../../../test/support/billing-app.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend, type TestDatabase } from '../../../../test/support/databases.ts';
import { createSubscription } from '../../../../test/support/seed.ts';

type Json = Record<string, unknown>;
const json = async (res: Response) => (await res.json()) as Json;

describeEachBackend('blueprints and quotas', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let api: ReturnType<typeof billingApp>;
  let db: TestDatabase;
  beforeAll(async () => {
    db = get();
    t = await createTestContext(db);
    api = billingApp(t.ctx, db.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = (u: { request: (p: string, i?: { body?: unknown }) => Promise<Response> }, title = 'Plan') =>
    u.request('/api/blueprints', { body: { title, content: { modules: [{ name: title }] } } });

  it('a free user creates 2, the third is refused 403 with the limit and the upgrade path', async () => {
    const u = await api.user('quota-free@example.com');
    expect((await create(u, 'one')).status).toBe(201);
    expect((await create(u, 'two')).status).toBe(201);
    const third = await create(u, 'three');
    expect(third.status).toBe(403);
    expect((await json(third)).error).toMatchObject({
      code: 'forbidden',
      message: 'You have used 2 of 2 blueprints on the Free plan; upgrade at /pricing',
    });
    const usage = await json(await u.request('/api/usage'));
    expect(usage).toMatchObject({
      tier: 'free',
      created: 2,
      saved: 0,
      limit: 2,
      remaining: 0,
      periodStart: null,
    });
    const list = await json(await u.request('/api/blueprints'));
    expect((list.items as Json[]).map((b) => b.title)).toEqual(['two', 'one']);
  });

  it('a failing insert uses no quota: the reservation rolls back with it', async () => {
    const u = await api.user('quota-giveback@example.com');
    expect((await create(u, 'first')).status).toBe(201);
    // PostgreSQL refuses \u0000 in jsonb: the insert fails after the reservation, in one transaction.
    const bad = await u.request('/api/blueprints', { body: { title: 'nul', content: { text: 'a\u0000b' } } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toMatchObject({ code: 'bad_request' });
    expect(await json(await u.request('/api/usage'))).toMatchObject({ created: 1, remaining: 1 });
    expect((await create(u, 'last unit still there')).status).toBe(201);
    expect((await create(u, 'over')).status).toBe(403);
  });

  it('two concurrent creates at the last unit: exactly one 201', async () => {
    const u = await api.user('quota-race@example.com');
    expect((await create(u, 'first')).status).toBe(201);
    const results = await Promise.all([create(u, 'a'), create(u, 'b'), create(u, 'c')]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 403, 403]);
    const count = await db.db
      .selectFrom('blueprints')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('user_id', '=', u.userId)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(2);
    expect(await json(await u.request('/api/usage'))).toMatchObject({ created: 2, remaining: 0 });
  });

  it('a paid subscriber gets the tier limit, per seat for team tiers', async () => {
    const u = await api.user('quota-crew@example.com');
    await createSubscription(db.db, u.userId, { tier: 'crew', seats: 3, status: 'active' });
    expect((await create(u)).status).toBe(201);
    expect(await json(await u.request('/api/usage'))).toMatchObject({
      tier: 'crew',
      created: 1,
      limit: 30,
      remaining: 29,
    });
  });

  it('a save is counted once per blueprint; get, list and delete see own rows only', async () => {
    const u = await api.user('bp-owner@example.com');
    const created = await json(await create(u, 'mine'));
    const id = created.id as string;
    expect(created).toMatchObject({
      title: 'mine',
      status: 'draft',
      content: { modules: [{ name: 'mine' }] },
    });
    const first = await json(await u.request(`/api/blueprints/${id}/save`, { method: 'POST' }));
    expect(first).toMatchObject({ status: 'saved', counted: true });
    const again = await json(await u.request(`/api/blueprints/${id}/save`, { method: 'POST' }));
    expect(again).toMatchObject({ status: 'saved', counted: false });
    expect(await json(await u.request('/api/usage'))).toMatchObject({ created: 1, saved: 1 });
    expect(await json(await u.request(`/api/blueprints/${id}`))).toMatchObject({ id, status: 'saved' });

    expect((await u.request(`/api/blueprints/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await u.request(`/api/blueprints/${id}`)).status).toBe(404);
    expect((await u.request(`/api/blueprints/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await json(await u.request('/api/blueprints'))).items).toEqual([]);
    // Deleting does not give the creation back.
    expect(await json(await u.request('/api/usage'))).toMatchObject({ created: 1 });
  });

  it("another user's blueprint is 404 on every route and stays untouched; anonymous is 401", async () => {
    const owner = await api.user('bp-a@example.com');
    const other = await api.user('bp-b@example.com');
    const id = (await json(await create(owner, 'private'))).id as string;
    const notFound = { error: { code: 'not_found', message: 'no such blueprint' } };
    for (const [method, path] of [
      ['GET', `/api/blueprints/${id}`],
      ['POST', `/api/blueprints/${id}/save`],
      ['DELETE', `/api/blueprints/${id}`],
      ['GET', '/api/blueprints/00000000-0000-4000-8000-000000000000'],
      ['GET', '/api/blueprints/not-a-uuid'],
    ] as const) {
      const res = await other.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await json(res)).toMatchObject(notFound);
    }
    expect((await json(await other.request('/api/blueprints'))).items).toEqual([]);
    expect(await json(await other.request('/api/usage'))).toMatchObject({ created: 0, saved: 0 });
    expect(await json(await owner.request(`/api/blueprints/${id}`))).toMatchObject({ status: 'draft' });
    for (const [method, path] of [
      ['GET', '/api/blueprints'],
      ['POST', '/api/blueprints'],
      ['GET', `/api/blueprints/${id}`],
      ['POST', `/api/blueprints/${id}/save`],
      ['DELETE', `/api/blueprints/${id}`],
      ['GET', '/api/usage'],
    ] as const) {
      const res = await api.anonymous.request(path, {
        method,
        ...(method === 'POST' ? { body: { title: 'x', content: {} } } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('refuses bad bodies with 400 (or 413) and uses no quota', async () => {
    const u = await api.user('bp-bad@example.com');
    const cases: [unknown, number, RegExp][] = [
      ['{not json', 400, /not valid JSON/],
      [{ content: {} }, 400, /title/],
      [{ title: '', content: {} }, 400, /title/],
      [{ title: 'x' }, 400, /content/],
      [{ title: 'x', content: {}, user_id: u.userId }, 400, /unknown field: user_id/],
      [{ title: 'x'.repeat(201), content: {} }, 400, /title/],
      [{ title: 'big', content: 'x'.repeat(600_000) }, 413, /exceeds 512 KiB/],
      [{ title: 'big', content: 'x'.repeat(300_000) }, 400, /^content: must be at most 256 KiB/],
      [{ title: 'a\u0000b', content: {} }, 400, /^title: must not contain a NUL/],
      [
        { title: 'x', content: { steps: ['ok', 'a\u0000'] } },
        400,
        /^content\.steps\.1: must not contain a NUL/,
      ],
      [`{"title":"deep","content":${'['.repeat(1560)}${']'.repeat(1560)}}`, 400, /deeper than 32 levels/],
    ];
    for (const [body, status, message] of cases) {
      const res = await u.request('/api/blueprints', { body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expect(((await json(res)).error as Json).message).toMatch(message);
    }
    expect(await json(await u.request('/api/usage'))).toMatchObject({ created: 0 });
  });

  it('creation keeps working while Razorpay is down (it never calls Razorpay)', async () => {
    const u = await api.user('bp-outage@example.com');
    t.emulator.startApiOutage({ mode: 'error', status: 503, duration_ms: 60_000 });
    try {
      const outage = await t.ctx.gateway.listPlans();
      expect(outage.ok).toBe(false);
      expect((await create(u, 'during outage')).status).toBe(201);
    } finally {
      t.emulator.stopApiOutage();
    }
  });
});
