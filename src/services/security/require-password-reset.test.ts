import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { postJson } from '../../../test/support/accounts.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import {
  appOverSuiteDatabase,
  auditRows,
  PASSWORD,
  sessionStatus,
  signedUp,
  signInAs,
} from '../../../test/support/security.ts';
import { requirePasswordReset } from './require-password-reset.ts';

const NEW_PASSWORD = 'a-brand-new-password';

describeEachBackend('requirePasswordReset and the reset route', { migrated: true }, (get) => {
  const h = appOverSuiteDatabase(get);
  const actor = 'cli:test';
  const reset = (token: string, newPassword = NEW_PASSWORD) =>
    postJson(h.app, '/api/auth/reset-password', { token, newPassword });
  const tokenOf = (link: string) => new URL(link).searchParams.get('token') ?? '';
  const errorOf = async (res: Response) =>
    ((await res.json()) as { error: { code: string; message: string } }).error;

  it('revokes sessions, refuses sign-in with 403 password_reset_required until the link sets a new password; the link works once', async () => {
    const email = 'reset-me@example.com';
    const { userId, cookie } = await signedUp(h.app, get().db, email);
    const done = await requirePasswordReset({
      ctx: h.t.ctx,
      input: { user: email, reason: 'password in a paste', actor, confirmed: false },
    });
    expect(done).toMatchObject({ confirmed: true, scope: 'user', users: 1, sessionsRevoked: 1 });
    const link = done.links[0]!;
    expect(link.link).toMatch(/^http:\/\/localhost:3000\/reset-password\?token=[A-Za-z0-9]{24}$/);
    expect(link).toMatchObject({ userId, email });
    expect(await sessionStatus(h.app, cookie)).toBe(401);
    expect(await signInAs(h.app, email)).toEqual({ status: 403, code: 'password_reset_required' });
    // A wrong password still answers 401: only the account's holder learns that a reset is due.
    expect(await signInAs(h.app, email, 'not-the-password')).toEqual({ status: 401, code: 'unauthorized' });
    expect(await auditRows(get().db, 'user.require_password_reset')).toEqual([
      {
        actor,
        action: 'user.require_password_reset',
        target: userId,
        reason: 'password in a paste',
        details: { email, users: 1, sessionsRevoked: 1 },
      },
    ]);

    const page = await h.app.request(new URL(link.link).pathname + new URL(link.link).search);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`value="${tokenOf(link.link)}"`);

    const wrong = await reset('x'.repeat(24));
    expect(wrong.status).toBe(400);
    expect(await errorOf(wrong)).toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('INVALID_TOKEN'),
    });
    expect(await signInAs(h.app, email)).toEqual({ status: 403, code: 'password_reset_required' });

    expect((await reset(tokenOf(link.link))).status).toBe(200);
    expect(await signInAs(h.app, email, NEW_PASSWORD)).toMatchObject({ status: 200 });
    expect(await signInAs(h.app, email, PASSWORD)).toEqual({ status: 401, code: 'unauthorized' });
    const again = await reset(tokenOf(link.link), 'yet-another-password');
    expect(again.status).toBe(400);
    expect((await errorOf(again)).code).toBe('bad_request');
    expect(await signInAs(h.app, email, NEW_PASSWORD)).toMatchObject({ status: 200 });
  });

  it('refuses an expired token, and a second run drops the first run’s link', async () => {
    const email = 'reset-expired@example.com';
    await signedUp(h.app, get().db, email);
    const input = { user: email, reason: 'r', actor, confirmed: true };
    const first = (await requirePasswordReset({ ctx: h.t.ctx, input })).links[0]!;
    expect(first.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    const second = (await requirePasswordReset({ ctx: h.t.ctx, input })).links[0]!;
    expect((await reset(tokenOf(first.link))).status).toBe(400);

    await sql`UPDATE auth_verification SET expires_at = now() - interval '1 second'
      WHERE identifier = ${`reset-password:${tokenOf(second.link)}`}`.execute(get().db);
    const expired = await reset(tokenOf(second.link));
    expect(expired.status).toBe(400);
    expect((await errorOf(expired)).message).toContain('INVALID_TOKEN');
    expect(await signInAs(h.app, email)).toEqual({ status: 403, code: 'password_reset_required' });
  });

  it('refuses a too-short new password, keeping the token usable', async () => {
    const email = 'reset-short@example.com';
    await signedUp(h.app, get().db, email);
    const { links } = await requirePasswordReset({
      ctx: h.t.ctx,
      input: { user: email, reason: 'r', actor, confirmed: true },
    });
    const short = await reset(tokenOf(links[0]!.link), 'short');
    expect(short.status).toBe(400);
    expect((await errorOf(short)).message).toContain('PASSWORD_TOO_SHORT');
    expect((await reset(tokenOf(links[0]!.link))).status).toBe(200);
  });

  it('--all needs confirmation (nothing changes without it), then marks every account and prints a link for each', async () => {
    const { cookie } = await signedUp(h.app, get().db, 'reset-all@example.com');
    const accounts = (await get().db.selectFrom('user_profiles').select('user_id').execute()).length;
    const preview = await requirePasswordReset({
      ctx: h.t.ctx,
      input: { all: true, reason: 'breach', actor, confirmed: false },
    });
    expect(preview).toMatchObject({ confirmed: false, scope: 'all', users: accounts, links: [] });
    expect(await sessionStatus(h.app, cookie)).toBe(200);
    const marked = await get()
      .db.selectFrom('user_profiles')
      .select('user_id')
      .where('password_reset_required_at', 'is not', null)
      .execute();

    const done = await requirePasswordReset({
      ctx: h.t.ctx,
      input: { all: true, reason: 'breach', actor, confirmed: true },
    });
    expect(done).toMatchObject({ confirmed: true, users: accounts });
    expect(done.links).toHaveLength(accounts);
    expect(new Set(done.links.map((l) => l.email)).size).toBe(accounts);
    expect(marked.length).toBeLessThan(accounts);
    expect(await sessionStatus(h.app, cookie)).toBe(401);
    expect(await signInAs(h.app, 'reset-all@example.com')).toEqual({
      status: 403,
      code: 'password_reset_required',
    });
  });
});
