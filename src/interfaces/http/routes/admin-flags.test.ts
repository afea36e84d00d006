import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signUp, TEST_AUTH } from '../../../../test/support/accounts.ts';
import { createTestContext, createUnreachableContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { flagAuditRows, resetFlags, storedFlags } from '../../../../test/support/flags.ts';
import { fullApp } from '../../../../test/support/full-app.ts';

type App = ReturnType<typeof fullApp>;
const bearer = { authorization: `Bearer ${TEST_AUTH.adminToken}` };

function put(app: App, name: string, body: unknown, headers: Record<string, string> = bearer) {
  return app.request(`/api/admin/flags/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', origin: TEST_AUTH.baseUrl, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describeEachBackend('admin flags API', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let app: App;
  let userCookie = '';
  let adminCookie = '';

  beforeAll(async () => {
    t = await createTestContext(get());
    app = fullApp(t.ctx);
    userCookie = (await signUp(app, 'flags-user@example.com')).cookie;
    adminCookie = (await signUp(app, 'flags-admin@example.com')).cookie;
    await get()
      .db.updateTable('user_profiles')
      .set({ role: 'admin' })
      .where('email', '=', 'flags-admin@example.com')
      .execute();
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetFlags(get().db);
  });

  it('lists the flags and sets one, audited as admin-token or as the admin session email', async () => {
    const listed = await app.request('/api/admin/flags', { headers: bearer });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('cache-control')).toBe('no-store');
    const { flags } = (await listed.json()) as { flags: { name: string; active: boolean }[] };
    expect(flags.map((f) => [f.name, f.active])).toEqual([
      ['payments', false],
      ['maintenance', false],
      ['read_only', false],
    ]);

    const off = await put(app, 'payments', { state: 'off', reason: 'fraud spike', for: '30m' });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({
      previous: { state: 'on' },
      flag: { name: 'payments', state: 'off', actor: 'admin-token', reason: 'fraud spike' },
      effective: { active: true, source: 'stored' },
    });
    const on = await put(app, 'read-only', { state: 'on', reason: 'restore' }, { cookie: adminCookie });
    expect(on.status).toBe(200);
    expect((await storedFlags(get().db)).read_only).toMatchObject({
      state: 'on',
      actor: 'flags-admin@example.com',
    });
    expect((await flagAuditRows(get().db)).map((r) => [r.actor, r.target])).toEqual([
      ['admin-token', 'payments'],
      ['flags-admin@example.com', 'read_only'],
    ]);
  });

  it('answers 401 to anonymous callers and 403 to non-admins, writing nothing', async () => {
    const before = await storedFlags(get().db);
    const body = { state: 'off', reason: 'x' };
    for (const [headers, status, code] of [
      [{}, 401, 'unauthorized'],
      [{ cookie: userCookie }, 403, 'forbidden'],
    ] as const) {
      const listed = await app.request('/api/admin/flags', { headers });
      expect([listed.status, ((await listed.json()) as { error: { code: string } }).error.code]).toEqual([
        status,
        code,
      ]);
      const changed = await put(app, 'payments', body, headers);
      expect([changed.status, ((await changed.json()) as { error: { code: string } }).error.code]).toEqual([
        status,
        code,
      ]);
    }
    expect(await storedFlags(get().db)).toEqual(before);
    expect(await flagAuditRows(get().db)).toEqual([]);
  });

  it.each([
    [
      'nope',
      { state: 'on', reason: 'x' },
      404,
      'not_found',
      "unknown flag 'nope'; the flags are payments, maintenance, read_only",
    ],
    ['payments', '{"state":', 400, 'bad_request', 'the body is not valid JSON'],
    [
      'payments',
      { state: 'off' },
      400,
      'bad_request',
      'reason: required; say why (it goes to the audit log)',
    ],
    [
      'payments',
      { state: 'maybe', reason: 'x' },
      400,
      'bad_request',
      "state: must be on or off, not 'maybe'",
    ],
    [
      'payments',
      { reason: 'x' },
      400,
      'bad_request',
      'state: Invalid input: expected string, received undefined',
    ],
    [
      'payments',
      { state: 'off', reason: 'x', for: 'soon' },
      400,
      'bad_request',
      "for: cannot read 'soon'; use a duration like 90s, 30m, 2h, 1d or 1h30m (at most 30d)",
    ],
    ['payments', { state: 'off', reason: 'x', actor: 'someone' }, 400, 'bad_request', 'unknown field: actor'],
  ])('PUT %s %j answers %i %s, writing nothing', async (name, body, status, code, message) => {
    const before = await storedFlags(get().db);
    const res = await put(app, name, body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({ code, message });
    expect(await storedFlags(get().db)).toEqual(before);
    expect(await flagAuditRows(get().db)).toEqual([]);
  });

  it('concurrent flips through the API: the last write wins and every one is audited', async () => {
    const states = ['off', 'on', 'off', 'on', 'off', 'on'];
    const answers = await Promise.all(
      states.map((state, i) => put(app, 'payments', { state, reason: `flip ${i}` })),
    );
    expect(answers.map((r) => r.status)).toEqual(states.map(() => 200));
    const audit = await flagAuditRows(get().db);
    expect(audit).toHaveLength(states.length);
    const last = audit.at(-1)!;
    expect((await storedFlags(get().db)).payments).toMatchObject({
      state: (last.details as { to: string }).to,
      reason: last.reason,
    });
  });
});

describe('admin flags API over a database that cannot be reached', () => {
  it('answers 503 database_unavailable with Retry-After to GET and PUT', async () => {
    const dead = await createUnreachableContext();
    try {
      const app = fullApp(dead.ctx);
      for (const res of [
        await app.request('/api/admin/flags', { headers: bearer }),
        await put(app, 'payments', { state: 'off', reason: 'x' }),
      ]) {
        expect(res.status).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('database_unavailable');
      }
    } finally {
      await dead.close();
    }
  });
});
