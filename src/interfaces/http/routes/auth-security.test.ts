import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postJson, signUp } from '../../../../test/support/accounts.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { createHttpApp } from '../app.ts';
import { requireCaller, sessionMiddleware } from '../session.ts';
import { authRoutes } from './auth.ts';

describeEachBackend('auth routes: no way to raise your own role or tier', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let app: ReturnType<typeof createHttpApp>;
  const roles = async (email: string) =>
    (
      await sql<{ profile_role: string; auth_role: string; tier: string }>`
        SELECT p.role AS profile_role, u.role AS auth_role, p.subscription_tier AS tier
        FROM auth_user u JOIN user_profiles p ON p.user_id = u.id WHERE u.email = ${email}`.execute(get().db)
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

  it('refuses a sign-up body carrying role admin and creates nothing', async () => {
    const res = await postJson(app, '/api/auth/sign-up/email', {
      email: 'sneaky@example.com',
      password: 'correct-horse-battery',
      name: 'Sneaky',
      role: 'admin',
    });
    expect(res.status).toBe(400);
    expect(await roles('sneaky@example.com')).toEqual([]);
  });

  it('ignores billing and ban fields in a sign-up body: tier free, role user, not banned', async () => {
    const res = await postJson(app, '/api/auth/sign-up/email', {
      email: 'tier@example.com',
      password: 'correct-horse-battery',
      name: 'T',
      banned: true,
      subscription_tier: 'voyager',
      subscriptionTier: 'voyager',
    });
    expect(res.status).toBe(200);
    expect(await roles('tier@example.com')).toEqual([
      { profile_role: 'user', auth_role: 'user', tier: 'free' },
    ]);
    const { rows } = await sql<{
      banned: boolean;
    }>`SELECT banned FROM auth_user WHERE email = 'tier@example.com'`.execute(get().db);
    expect(rows).toEqual([{ banned: false }]);
  });

  it('refuses update-user with role admin and leaves both role columns user; a name change still works', async () => {
    const { cookie } = await signUp(app, 'climber@example.com');
    const res = await postJson(app, '/api/auth/update-user', { role: 'admin' }, cookie);
    expect(res.status).toBe(400);
    expect(await roles('climber@example.com')).toEqual([
      { profile_role: 'user', auth_role: 'user', tier: 'free' },
    ]);
    const renamed = await postJson(app, '/api/auth/update-user', { name: 'Climber' }, cookie);
    expect(renamed.status).toBe(200);
    expect(await (await app.request('/test/me', { headers: { cookie } })).json()).toMatchObject({
      role: 'user',
    });
  });

  it("does not serve the admin plugin's endpoints, even to a signed-in user", async () => {
    const { cookie } = await signUp(app, 'plugin@example.com');
    const [user] = (
      await sql<{ id: string }>`SELECT id FROM auth_user WHERE email = 'plugin@example.com'`.execute(get().db)
    ).rows;
    for (const [path, body] of [
      ['/api/auth/admin/set-role', { userId: user!.id, role: 'admin' }],
      [
        '/api/auth/admin/create-user',
        { email: 'x@example.com', password: 'correct-horse-battery', name: 'x', role: 'admin' },
      ],
      ['/api/auth/admin/update-user', { userId: user!.id, data: { role: 'admin' } }],
    ] as const) {
      const res = await postJson(app, path, body, cookie);
      expect(res.status, path).toBe(404);
    }
    expect(await roles('plugin@example.com')).toEqual([
      { profile_role: 'user', auth_role: 'user', tier: 'free' },
    ]);
    expect(await roles('x@example.com')).toEqual([]);
  });
});
