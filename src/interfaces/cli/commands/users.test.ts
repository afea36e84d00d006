import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOOSE_RATE_LIMITS } from '../../../../test/support/accounts.ts';
import { runCli } from '../../../../test/support/cli.ts';
import { createAccounts } from '../../../adapters/auth/accounts.ts';
import { createKysely, type KyselyHandle } from '../../../adapters/db/connection.ts';

describe('polaris users create (the real bin, against PostgreSQL)', () => {
  let url = '';
  let handle: KyselyHandle;
  const env = () => ({ DATABASE_URL: url });
  const roleOf = async (email: string) =>
    (
      await sql<{ role: string; tier: string }>`
        SELECT role, subscription_tier AS tier FROM user_profiles WHERE email = ${email}`.execute(handle.db)
    ).rows;
  const signIn = (email: string, password: string) =>
    createAccounts({
      db: handle.db,
      secret: 'cli-test-secret-0123456789abcdef01',
      baseUrl: 'http://localhost:3000',
      rateLimit: LOOSE_RATE_LIMITS,
    })
      .handle(
        new Request('http://localhost:3000/api/auth/sign-in/email', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        }),
      )
      .then(
        (r) => r.status,
        (error: { code?: string }) => error.code,
      );

  beforeAll(async () => {
    const admin = inject('pgUrl');
    const name = `polaris_cli_users_${Date.now()}`;
    execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`]);
    url = admin.replace(/\/postgres$/, `/${name}`);
    expect((await runCli(['db', 'migrate'], env())).code).toBe(0);
    handle = createKysely(url, { max: 2 });
  });
  afterAll(async () => {
    await handle?.db.destroy();
  });

  it('creates a user with a generated password it prints once, which signs in', async () => {
    const r = await runCli(['users', 'create', '--email', 'Cli.User@Example.com'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^created user cli\.user@example\.com \(user id [0-9a-f-]{36}\)$/);
    const password = /^password: (\S+)/.exec(lines[1] ?? '')?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await roleOf('cli.user@example.com')).toEqual([{ role: 'user', tier: 'free' }]);
    expect(await signIn('cli.user@example.com', password!)).toBe(200);
    expect(await signIn('cli.user@example.com', 'not-the-password')).toBe('unauthorized');
    const audit = await handle.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'user.create')
      .executeTakeFirstOrThrow();
    expect(audit.actor).toBe(`cli:${userInfo().username}`);
  });

  it('creates an admin with --admin and a given password (--json prints no password)', async () => {
    const r = await runCli(
      [
        '--json',
        'users',
        'create',
        '--email',
        'cli-admin@example.com',
        '--admin',
        '--password',
        'admin-pass-123',
        '--name',
        'Ops',
      ],
      env(),
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, email: 'cli-admin@example.com', role: 'admin' });
    expect(out).not.toHaveProperty('password');
    expect(await roleOf('cli-admin@example.com')).toEqual([{ role: 'admin', tier: 'free' }]);
    expect(await signIn('cli-admin@example.com', 'admin-pass-123')).toBe(200);
  });

  it('refuses a duplicate email with exit 2 and one line, creating nothing', async () => {
    const r = await runCli(['users', 'create', '--email', 'CLI-ADMIN@example.com'], env());
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('polaris: an account for cli-admin@example.com already exists');
    expect(r.stdout).toBe('');
    expect(await roleOf('cli-admin@example.com')).toHaveLength(1);
  });

  it('refuses a bad email, a short password, or a missing --email with exit 2', async () => {
    for (const args of [
      ['users', 'create', '--email', 'nope'],
      ['users', 'create', '--email', 'short@example.com', '--password', 'short'],
      ['users', 'create'],
    ]) {
      const r = await runCli(args, env());
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect(await roleOf('short@example.com')).toEqual([]);
  });
});
