import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cookiesFrom, postJson, signUp, TEST_AUTH } from '../../../test/support/accounts.ts';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { createUser } from '../../services/users/create-user.ts';
import { createHttpApp } from './app.ts';
import { authRoutes } from './routes/auth.ts';
import { requireAdmin, requireCaller, sessionMiddleware } from './session.ts';

describeEachBackend('session middleware and requireCaller / requireAdmin', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let app: ReturnType<typeof createHttpApp>;
  const call = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestContext(get());
    app = createHttpApp({
      log: t.ctx.log,
      readiness: async () => ({ ok: true, checks: {} }),
      middleware: [sessionMiddleware(t.ctx)],
      routes: [
        authRoutes(t.ctx),
        (a) => {
          a.get('/test/me', (c) => c.json(requireCaller(c)));
          a.get('/test/admin', (c) => c.json(requireAdmin(c)));
        },
      ],
    });
  });
  afterAll(() => t.close());

  it('gives the ADMIN_TOKEN bearer an admin caller', async () => {
    const res = await call('/test/admin', bearer(TEST_AUTH.adminToken));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ role: 'admin', email: 'admin-token' });
  });

  it('gives a wrong, truncated or non-bearer token no caller (401), even beside a valid cookie', async () => {
    const { cookie } = await signUp(app, 'bystander@example.com');
    for (const headers of [
      bearer('wrong-token-0123456789abcdef0123'),
      bearer(TEST_AUTH.adminToken.slice(0, -1)),
      bearer(`${TEST_AUTH.adminToken}x`),
      { authorization: `Basic ${TEST_AUTH.adminToken}` },
      { authorization: TEST_AUTH.adminToken },
      { ...bearer('wrong-token-0123456789abcdef0123'), cookie },
    ]) {
      expect((await call('/test/me', headers)).status).toBe(401);
      expect((await call('/test/admin', headers)).status).toBe(401);
    }
  });

  it('answers 401 to anonymous callers and 403 to a signed-in user on an admin route', async () => {
    expect((await call('/test/admin')).status).toBe(401);
    const { cookie } = await signUp(app, 'plain@example.com');
    const res = await call('/test/admin', { cookie });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  });

  it('takes the role from user_profiles: an admin made by createUser passes requireAdmin', async () => {
    await createUser({
      ctx: t.ctx,
      input: { email: 'boss@example.com', password: 'boss-password-123', role: 'admin', actor: 'test' },
    });
    const signIn = await postJson(app, '/api/auth/sign-in/email', {
      email: 'boss@example.com',
      password: 'boss-password-123',
    });
    const cookie = cookiesFrom(signIn);
    const res = await call('/test/admin', { cookie });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ role: 'admin', email: 'boss@example.com' });
  });

  it('follows a role change on the profile, and mirrors it to the auth_user row', async () => {
    const { cookie } = await signUp(app, 'promoted@example.com');
    expect((await call('/test/admin', { cookie })).status).toBe(403);
    await sql`UPDATE user_profiles SET role = 'admin' WHERE email = 'promoted@example.com'`.execute(get().db);
    expect((await call('/test/admin', { cookie })).status).toBe(200);
    const { rows } = await sql<{
      role: string;
    }>`SELECT role FROM auth_user WHERE email = 'promoted@example.com'`.execute(get().db);
    expect(rows).toEqual([{ role: 'admin' }]);
  });

  it('gives a disabled user no caller while disabled_at is set', async () => {
    const { cookie } = await signUp(app, 'disabled@example.com');
    expect((await call('/test/me', { cookie })).status).toBe(200);
    await sql`UPDATE user_profiles SET disabled_at = now() WHERE email = 'disabled@example.com'`.execute(
      get().db,
    );
    expect((await call('/test/me', { cookie })).status).toBe(401);
    await sql`UPDATE user_profiles SET disabled_at = NULL WHERE email = 'disabled@example.com'`.execute(
      get().db,
    );
    expect((await call('/test/me', { cookie })).status).toBe(200);
  });

  it('gives a banned user no caller, and refuses their sign-in', async () => {
    const { cookie } = await signUp(app, 'banned@example.com');
    await sql`UPDATE auth_user SET banned = true WHERE email = 'banned@example.com'`.execute(get().db);
    expect((await call('/test/me', { cookie })).status).toBe(401);
    const again = await postJson(app, '/api/auth/sign-in/email', {
      email: 'banned@example.com',
      password: 'correct-horse-battery',
    });
    expect(again.status).toBe(403);
    expect(cookiesFrom(again)).toBe('');
  });
});
