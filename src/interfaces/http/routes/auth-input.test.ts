import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postJson, signUp, TEST_AUTH } from '../../../../test/support/accounts.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { fullApp } from '../../../../test/support/full-app.ts';

type ErrorBody = { error: { code: string; message: string; requestId: string } };
const PASSWORD = 'correct-horse-battery';

describeEachBackend('auth routes: bad input and refusals in our error shape', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let app: ReturnType<typeof fullApp>;
  const users = async (email: string) =>
    (
      await sql<{ name: string }>`SELECT name FROM auth_user WHERE email = ${email.toLowerCase()}`.execute(
        get().db,
      )
    ).rows;
  const profiles = async (email: string) =>
    (await sql`SELECT 1 FROM user_profiles WHERE lower(email) = ${email.toLowerCase()}`.execute(get().db))
      .rows;
  const expectError = async (res: Response, status: number, code: string, message?: RegExp) => {
    expect(res.status).toBe(status);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe(code);
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
    if (message) expect(body.error.message).toMatch(message);
  };

  beforeAll(async () => {
    t = await createTestContext(get());
    app = fullApp(t.ctx);
  });
  afterAll(() => t.close());

  it('refuses a sign-up carrying a 30 MB junk field with 413 and creates nothing', async () => {
    const body = JSON.stringify({
      email: 'junk@example.com',
      password: PASSWORD,
      name: 'J',
      junk: 'x'.repeat(30e6),
    });
    const res = await app.request('/api/auth/sign-up/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: TEST_AUTH.baseUrl },
      body,
    });
    await expectError(res, 413, 'payload_too_large', /64 KiB/);
    expect(await users('junk@example.com')).toEqual([]);
  });

  it.each([
    ['a 10,000-character name', { name: 'n'.repeat(10_000) }, /^name: /],
    ['a NUL in the name', { name: 'Asha\u0000Rao' }, /^name: must not contain a NUL/],
    ['a NUL in the email', { email: 'nul\u0000@example.com' }, /^email: must not contain a NUL/],
    ['a 300-character email', { email: `${'e'.repeat(290)}@example.com` }, /^email: /],
    ['a 3,000-character image URL', { image: `https://img.example/${'i'.repeat(3000)}` }, /^image: /],
    ['a 2,000-character unknown field', { nickname: 'k'.repeat(2000) }, /^nickname: must be at most 1024/],
    ['a 200-character password', { password: 'p'.repeat(200) }, /^password: /],
  ])('refuses a sign-up with %s: 400 naming the field, nothing stored', async (_, fields, message) => {
    const body = { email: 'fields@example.com', password: PASSWORD, name: 'F', ...fields };
    const res = await postJson(app, '/api/auth/sign-up/email', body);
    await expectError(res, 400, 'bad_request', message);
    expect(await users(body.email.replace('\u0000', ''))).toEqual([]);
    expect(await profiles('fields@example.com')).toEqual([]);
  });

  it('refuses JSON nested 1,560 levels deep with 400, not a blown stack', async () => {
    const deep = `{"email":"deep@example.com","x":${'['.repeat(1560)}${']'.repeat(1560)}}`;
    const res = await app.request('/api/auth/sign-up/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: TEST_AUTH.baseUrl },
      body: deep,
    });
    await expectError(res, 400, 'bad_request', /deeper than 32 levels/);
  });

  it('refuses an update-user name that is too long or holds a NUL, and keeps the old name', async () => {
    const { cookie } = await signUp(app, 'rename@example.com', PASSWORD, 'Before');
    await expectError(
      await postJson(app, '/api/auth/update-user', { name: 'r'.repeat(5000) }, cookie),
      400,
      'bad_request',
      /^name: /,
    );
    await expectError(
      await postJson(app, '/api/auth/update-user', { name: 'a\u0000b' }, cookie),
      400,
      'bad_request',
      /^name: must not contain a NUL/,
    );
    expect(await users('rename@example.com')).toEqual([{ name: 'Before' }]);
  });

  it("answers better-auth's refusals in our shape: 401 wrong password, 409 taken email, 400 bad email", async () => {
    await signUp(app, 'shape@example.com', PASSWORD);
    await expectError(
      await postJson(app, '/api/auth/sign-in/email', {
        email: 'shape@example.com',
        password: 'wrong-password',
      }),
      401,
      'unauthorized',
      /INVALID_EMAIL_OR_PASSWORD/,
    );
    // better-auth's own warning is one of our JSON log lines, not console output.
    expect(
      t.logLines.some((l) => l.includes('"source":"better-auth"') && l.includes('Invalid password')),
    ).toBe(true);
    await expectError(
      (await signUp(app, 'Shape@example.com', PASSWORD)).res,
      409,
      'conflict',
      /USER_ALREADY_EXISTS/,
    );
    await expectError(
      await postJson(app, '/api/auth/sign-up/email', {
        email: 'not-an-email',
        password: PASSWORD,
        name: 'x',
      }),
      400,
      'bad_request',
      /email/i,
    );
    const plain = await app.request('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: TEST_AUTH.baseUrl },
      body: '{}',
    });
    await expectError(plain, 400, 'bad_request', /Content-Type/);
  });

  it('refuses sign-in to a disabled user with 403 account_disabled only once the password is right, and makes no session', async () => {
    await signUp(app, 'disabled@example.com', PASSWORD);
    await sql`UPDATE user_profiles SET disabled_at = now() WHERE email = 'disabled@example.com'`.execute(
      get().db,
    );
    const sessions = async () =>
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM auth_session s JOIN auth_user u ON u.id = s.user_id
          WHERE u.email = 'disabled@example.com'`.execute(get().db)
      ).rows[0]!.n;
    const before = await sessions();
    await expectError(
      await postJson(app, '/api/auth/sign-in/email', {
        email: 'disabled@example.com',
        password: 'wrong-password',
      }),
      401,
      'unauthorized',
    );
    const res = await postJson(app, '/api/auth/sign-in/email', {
      email: 'disabled@example.com',
      password: PASSWORD,
    });
    await expectError(res, 403, 'account_disabled', /disabled/);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await sessions()).toBe(before);
  });

  it('refuses sign-in to a banned user with 403 account_disabled too', async () => {
    await signUp(app, 'banned@example.com', PASSWORD);
    await sql`UPDATE auth_user SET banned = true WHERE email = 'banned@example.com'`.execute(get().db);
    const res = await postJson(app, '/api/auth/sign-in/email', {
      email: 'banned@example.com',
      password: PASSWORD,
    });
    await expectError(res, 403, 'account_disabled', /BANNED_USER/);
  });

  it("refuses a disabled user's existing session on better-auth's own endpoints, changing nothing", async () => {
    const { cookie } = await signUp(app, 'disabled-session@example.com', PASSWORD);
    expect((await app.request('/api/auth/get-session', { headers: { cookie } })).status).toBe(200);
    await sql`UPDATE user_profiles SET disabled_at = now() WHERE email = 'disabled-session@example.com'`.execute(
      get().db,
    );
    const hash = async () =>
      (
        await sql<{
          password: string;
        }>`SELECT a.password FROM auth_account a JOIN auth_user u ON u.id = a.user_id
          WHERE u.email = 'disabled-session@example.com'`.execute(get().db)
      ).rows[0]?.password;
    const before = await hash();
    await expectError(
      await app.request('/api/auth/get-session', { headers: { cookie } }),
      403,
      'account_disabled',
    );
    await expectError(
      await postJson(
        app,
        '/api/auth/change-password',
        { currentPassword: PASSWORD, newPassword: 'another-long-password' },
        cookie,
      ),
      403,
      'account_disabled',
    );
    expect(await hash()).toBe(before);
  });
});
