import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cookiesFrom, postJson, signUp } from '../../../../test/support/accounts.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { createHttpApp } from '../app.ts';
import { requireCaller, sessionMiddleware } from '../session.ts';
import { authRoutes } from './auth.ts';

const PASSWORD = 'correct-horse-battery';

describeEachBackend('auth routes', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let app: ReturnType<typeof createHttpApp>;
  const me = (cookie: string) => app.request('/test/me', { headers: { cookie } });
  const profilesFor = async (email: string) =>
    (
      await sql<{ user_id: string; subscription_tier: string; role: string; full_name: string | null }>`
        SELECT user_id, subscription_tier, role, full_name FROM user_profiles WHERE lower(email) = ${email}`.execute(
        get().db,
      )
    ).rows;
  const authUsers = async (email: string) =>
    (
      await sql<{ id: string; role: string }>`SELECT id, role FROM auth_user WHERE email = ${email}`.execute(
        get().db,
      )
    ).rows;

  beforeAll(async () => {
    t = await createTestContext(get());
    app = createHttpApp({
      log: t.ctx.log,
      readiness: async () => ({ ok: true, checks: {} }),
      middleware: [sessionMiddleware(t.ctx)],
      routes: [authRoutes(t.ctx), (a) => a.get('/test/me', (c) => c.json(requireCaller(c)))],
    });
  });
  afterAll(() => t.close());

  it('sign-up creates one auth user with a UUID id and exactly one profile: tier free, role user', async () => {
    const { res, cookie } = await signUp(app, 'new@example.com', PASSWORD, 'Asha Rao');
    expect(res.status).toBe(200);
    expect(cookie).toMatch(/^better-auth\.session_token=/);
    const users = await authUsers('new@example.com');
    expect(users).toHaveLength(1);
    expect(users[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await profilesFor('new@example.com')).toEqual([
      { user_id: users[0]!.id, subscription_tier: 'free', role: 'user', full_name: 'Asha Rao' },
    ]);
  });

  it('concurrent sign-ups with one email leave exactly one user and one profile', async () => {
    const results = await Promise.all(
      ['race@example.com', 'RACE@example.com', 'race@example.com', 'Race@Example.com'].map((email) =>
        signUp(app, email),
      ),
    );
    expect(results.filter((r) => r.res.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.res.status !== 200)) {
      expect(r.res.status).toBeGreaterThanOrEqual(400);
      expect(r.res.status).toBeLessThan(500);
    }
    expect(await authUsers('race@example.com')).toHaveLength(1);
    expect(await profilesFor('race@example.com')).toHaveLength(1);
  });

  it('every auth user has exactly one profile', async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM auth_user u
      WHERE (SELECT count(*) FROM user_profiles p WHERE p.user_id = u.id) <> 1`.execute(get().db);
    expect(rows[0]!.n).toBe(0);
  });

  it('refuses a duplicate email (any case) and keeps the one profile', async () => {
    await signUp(app, 'dup@example.com');
    const again = await signUp(app, 'Dup@Example.COM', 'another-password-1');
    expect(again.res.status).toBe(409);
    expect(await again.res.json()).toMatchObject({ error: { code: 'conflict' } });
    expect(again.cookie).toBe('');
    expect(await profilesFor('dup@example.com')).toHaveLength(1);
  });

  it('refuses a password shorter than 10 characters and creates nothing', async () => {
    const { res } = await signUp(app, 'short@example.com', '123456789');
    expect(res.status).toBe(400);
    expect(await authUsers('short@example.com')).toEqual([]);
    expect(await profilesFor('short@example.com')).toEqual([]);
  });

  it('sign-in returns a session cookie the session middleware resolves to the caller', async () => {
    await signUp(app, 'signin@example.com');
    const res = await postJson(app, '/api/auth/sign-in/email', {
      email: 'signin@example.com',
      password: PASSWORD,
    });
    expect(res.status).toBe(200);
    const cookie = cookiesFrom(res);
    const who = await me(cookie);
    expect(who.status).toBe(200);
    const [user] = await authUsers('signin@example.com');
    expect(await who.json()).toEqual({ userId: user!.id, role: 'user', email: 'signin@example.com' });
  });

  it('sign-out ends the session: the cookie no longer names a caller', async () => {
    const { cookie } = await signUp(app, 'signout@example.com');
    expect((await me(cookie)).status).toBe(200);
    const out = await postJson(app, '/api/auth/sign-out', {}, cookie);
    expect(out.status).toBe(200);
    expect((await me(cookie)).status).toBe(401);
    const session = await app.request('/api/auth/get-session', { headers: { cookie } });
    expect(await session.json()).toBeNull();
  });

  it('answers 401 with no cookie for a wrong password or an unknown email', async () => {
    await signUp(app, 'wrongpw@example.com');
    for (const body of [
      { email: 'wrongpw@example.com', password: 'not-the-password' },
      { email: 'nobody@example.com', password: PASSWORD },
    ]) {
      const res = await postJson(app, '/api/auth/sign-in/email', body);
      expect(res.status).toBe(401);
      expect(cookiesFrom(res)).toBe('');
    }
  });

  it('answers 401 for a forged or missing session cookie', async () => {
    expect((await app.request('/test/me')).status).toBe(401);
    expect((await me('better-auth.session_token=forged.c2lnbmF0dXJl')).status).toBe(401);
  });

  it('refuses a sign-out posted from another origin (CSRF)', async () => {
    const { cookie } = await signUp(app, 'csrf@example.com');
    const res = await app.request('/api/auth/sign-out', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', cookie },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect((await me(cookie)).status).toBe(200);
  });

  it('answers 404 for auth endpoints Polaris does not serve', async () => {
    for (const path of ['/api/auth/ok', '/api/auth/delete-user', '/api/auth/admin/list-users']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
    }
  });
});
