import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { AppError } from '../../domain/errors.ts';
import { createUser } from './create-user.ts';
import { ensureDemoAccounts } from './ensure-demo-accounts.ts';

describeEachBackend('createUser and ensureDemoAccounts', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(() => t.close());

  const rowsFor = async (email: string) =>
    (
      await sql<{ profile_role: string; auth_role: string; tier: string; credentials: number }>`
        SELECT p.role AS profile_role, u.role AS auth_role, p.subscription_tier AS tier,
          (SELECT count(*)::int FROM auth_account a WHERE a.user_id = u.id AND a.provider_id = 'credential') AS credentials
        FROM auth_user u JOIN user_profiles p ON p.user_id = u.id WHERE u.email = ${email}`.execute(get().db)
    ).rows;

  it('creates an admin with a generated password that signs in, and writes an audit row', async () => {
    const made = await createUser({
      ctx: t.ctx,
      input: { email: 'Ops@Example.com', role: 'admin', actor: 'cli' },
    });
    expect(made).toMatchObject({ email: 'ops@example.com', role: 'admin' });
    expect(made.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await rowsFor('ops@example.com')).toEqual([
      { profile_role: 'admin', auth_role: 'admin', tier: 'free', credentials: 1 },
    ]);
    const session = await t.ctx.accounts.handle(
      new Request('http://localhost:3000/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ops@example.com', password: made.generatedPassword }),
      }),
    );
    expect(session.status).toBe(200);
    const audit = await sql<{ actor: string; action: string; target: string }>`
      SELECT actor, action, target FROM audit_log WHERE action = 'user.create' AND target = ${made.userId}`.execute(
      get().db,
    );
    expect(audit.rows).toEqual([{ actor: 'cli', action: 'user.create', target: made.userId }]);
  });

  it('returns no password when one was given, and defaults to role user', async () => {
    const made = await createUser({
      ctx: t.ctx,
      input: { email: 'given@example.com', password: 'a-given-password', actor: 'cli' },
    });
    expect(made.generatedPassword).toBeNull();
    expect(await rowsFor('given@example.com')).toEqual([
      { profile_role: 'user', auth_role: 'user', tier: 'free', credentials: 1 },
    ]);
  });

  it('refuses a duplicate email (any case) with conflict and creates nothing more', async () => {
    await createUser({ ctx: t.ctx, input: { email: 'twice@example.com', actor: 'cli' } });
    const again = createUser({ ctx: t.ctx, input: { email: 'TWICE@example.com', actor: 'cli' } });
    await expect(again).rejects.toMatchObject({ code: 'conflict' });
    await expect(again).rejects.toBeInstanceOf(AppError);
    expect(await rowsFor('twice@example.com')).toHaveLength(1);
  });

  it('refuses a bad email or a short password with bad_request, naming the field, creating nothing', async () => {
    await expect(
      createUser({ ctx: t.ctx, input: { email: 'not-an-email', actor: 'cli' } }),
    ).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^email:/) });
    await expect(
      createUser({ ctx: t.ctx, input: { email: 'short@example.com', password: '123456789', actor: 'cli' } }),
    ).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^password:/) });
    expect(await rowsFor('short@example.com')).toEqual([]);
  });

  it('makes the demo admin and demo user once in development, and nothing in other environments', async () => {
    expect(await ensureDemoAccounts({ ctx: t.ctx })).toEqual([]);
    const dev = { ...t.ctx, settings: { ...t.ctx.settings, env: 'development' as const } };
    const first = await ensureDemoAccounts({ ctx: dev });
    expect(first.map((a) => [a.email, a.role, a.created])).toEqual([
      ['demo-admin@example.com', 'admin', true],
      ['demo-user@example.com', 'user', true],
    ]);
    for (const a of first) expect(a.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const second = await ensureDemoAccounts({ ctx: dev });
    expect(second.map((a) => [a.created, a.password])).toEqual([
      [false, null],
      [false, null],
    ]);
    expect(await rowsFor('demo-admin@example.com')).toEqual([
      { profile_role: 'admin', auth_role: 'admin', tier: 'free', credentials: 1 },
    ]);
    expect(await rowsFor('demo-user@example.com')).toHaveLength(1);
  });
});
