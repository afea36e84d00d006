import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cookiesFrom, postJson } from '../../../test/support/accounts.ts';
import { errorMessageOf, getPage, postForm } from '../../../test/support/admin-forms.ts';
import { createUnreachableContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetFlags } from '../../../test/support/flags.ts';
import { fullApp } from '../../../test/support/full-app.ts';
import {
  appOverSuiteDatabase,
  PASSWORD,
  sessionStatus,
  signedUp,
  signInAs,
} from '../../../test/support/security.ts';
import { setFlag } from '../../services/flags/set-flag.ts';

const TARGET = 'web-target@example.com';
const ACTIONS = ['user.disable', 'user.enable', 'sessions.revoke', 'user.require_password_reset'];

describeEachBackend('admin user pages', { migrated: true }, (get) => {
  const h = appOverSuiteDatabase(get);
  let userCookie = '';
  let adminCookie = '';
  let target = { userId: '', cookie: '' };

  const profile = () =>
    get()
      .db.selectFrom('user_profiles')
      .select(['disabled_at', 'password_reset_required_at'])
      .where('email', '=', TARGET)
      .executeTakeFirstOrThrow();
  const audit = () =>
    get()
      .db.selectFrom('audit_log')
      .select(['actor', 'action', 'target'])
      .where('action', 'in', ACTIONS)
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    userCookie = (await signedUp(h.app, get().db, 'web-users-user@example.com')).cookie;
    adminCookie = (await signedUp(h.app, get().db, 'web-users-admin@example.com')).cookie;
    await get()
      .db.updateTable('user_profiles')
      .set({ role: 'admin' })
      .where('email', '=', 'web-users-admin@example.com')
      .execute();
    target = await signedUp(h.app, get().db, TARGET);
  });
  beforeEach(async () => {
    await resetFlags(get().db);
    await get().db.deleteFrom('audit_log').where('action', 'in', ACTIONS).execute();
    await get()
      .db.updateTable('user_profiles')
      .set({ disabled_at: null, password_reset_required_at: null })
      .where('email', '=', TARGET)
      .execute();
    const signIn = await postJson(h.app, '/api/auth/sign-in/email', { email: TARGET, password: PASSWORD });
    expect(signIn.status).toBe(200);
    target.cookie = cookiesFrom(signIn);
  });

  it('finds accounts by part of the email, case-insensitive, and opens one', async () => {
    const found = await (await getPage(h.app, '/admin/users?email=WEB-TARG')).text();
    expect(found).toContain(`<a href="/admin/users/${target.userId}">${TARGET}</a>`);
    expect(found).not.toContain('web-users-user@example.com');
    const none = await (await getPage(h.app, '/admin/users?email=nobody-here')).text();
    expect(none).toContain('No account matches.');
    // LIKE's wildcards are taken literally: '%_' matches no email.
    const wild = await (await getPage(h.app, '/admin/users?email=%25_')).text();
    expect(wild).toContain('No account matches.');
    const one = await getPage(h.app, `/admin/users/${target.userId}`);
    expect(one.status).toBe(200);
    expect(await one.text()).toContain(`Type <strong>${TARGET}</strong> to confirm`);
  });

  it('disables (sign-in refused, sessions gone) and enables an account, audited as the admin like the CLI', async () => {
    const disabled = await postForm(
      h.app,
      `/admin/users/${target.userId}/disable`,
      { reason: 'credentials leaked', confirm: TARGET.toUpperCase() },
      { cookie: adminCookie },
    );
    expect([disabled.status, disabled.headers.get('location')]).toEqual([
      303,
      `/admin/users/${target.userId}?done=disabled`,
    ]);
    expect(await signInAs(h.app, TARGET)).toEqual({ status: 403, code: 'account_disabled' });
    expect(await sessionStatus(h.app, target.cookie)).toBe(401);
    const page = await (await getPage(h.app, `/admin/users/${target.userId}?done=disabled`)).text();
    expect(page).toContain('Account disabled');
    expect(page).toContain('id="enable-user"');
    const enabled = await postForm(h.app, `/admin/users/${target.userId}/enable`, { reason: 'false alarm' });
    expect(enabled.status).toBe(303);
    expect((await signInAs(h.app, TARGET)).status).toBe(200);
    expect((await audit()).map((r) => [r.actor, r.action, r.target])).toEqual([
      ['web-users-admin@example.com', 'user.disable', target.userId],
      ['admin-token', 'user.enable', target.userId],
    ]);
  });

  it('revokes sessions and requires a password reset, showing the single-use link once', async () => {
    const session = (await signedUp(h.app, get().db, 'web-revoke@example.com')).cookie;
    const other = await get()
      .db.selectFrom('user_profiles')
      .select('user_id')
      .where('email', '=', 'web-revoke@example.com')
      .executeTakeFirstOrThrow();
    const revoked = await postForm(h.app, `/admin/users/${other.user_id}/revoke-sessions`, {
      reason: 'session store exposure',
      confirm: 'web-revoke@example.com',
    });
    expect(revoked.status).toBe(303);
    expect(await sessionStatus(h.app, session)).toBe(401);
    const reset = await postForm(h.app, `/admin/users/${target.userId}/require-reset`, {
      reason: 'password reuse',
      confirm: TARGET,
    });
    expect(reset.status).toBe(200);
    expect(reset.headers.get('cache-control')).toBe('no-store');
    expect(await reset.text()).toMatch(/\/reset-password\?token=[A-Za-z0-9_-]+/);
    expect(await signInAs(h.app, TARGET)).toEqual({ status: 403, code: 'password_reset_required' });
    expect((await audit()).map((r) => r.action)).toEqual(['sessions.revoke', 'user.require_password_reset']);
  });

  it.each([
    ['disable', { reason: 'x', confirm: 'someone@example.com' }],
    ['disable', { reason: 'x' }],
    ['revoke-sessions', { reason: 'x', confirm: 'web-target' }],
    ['require-reset', { reason: 'x', confirm: '' }],
  ])(
    'a wrong typed confirmation on %s %j answers 400 naming confirm; nothing changes',
    async (action, fields) => {
      const before = await profile();
      const res = await postForm(h.app, `/admin/users/${target.userId}/${action}`, fields);
      expect(res.status).toBe(400);
      expect(await errorMessageOf(res)).toBe(`confirm: type the account's email (${TARGET}) to confirm`);
      expect(await profile()).toEqual(before);
      expect(await sessionStatus(h.app, target.cookie)).toBe(200);
      expect(await audit()).toEqual([]);
    },
  );

  it('a missing reason, an unknown account and a bad search answer 400 or 404 pages; nothing changes', async () => {
    const before = await profile();
    const noReason = await postForm(h.app, `/admin/users/${target.userId}/disable`, { confirm: TARGET });
    expect([noReason.status, await errorMessageOf(noReason)]).toEqual([
      400,
      'reason: required (--reason "why"); it goes to the audit log',
    ]);
    const enableNoReason = await postForm(h.app, `/admin/users/${target.userId}/enable`, {});
    expect(enableNoReason.status).toBe(400);
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const res of [
      await getPage(h.app, `/admin/users/${unknown}`),
      await postForm(h.app, `/admin/users/${unknown}/disable`, { reason: 'x', confirm: 'x@example.com' }),
      await postForm(h.app, `/admin/users/${unknown}/enable`, { reason: 'x' }),
    ]) {
      expect([res.status, await errorMessageOf(res)]).toEqual([404, `no user ${unknown}`]);
    }
    const junk = await getPage(h.app, '/admin/users/not-an-id');
    expect([junk.status, await errorMessageOf(junk)]).toEqual([
      400,
      '"not-an-id" is neither an email nor a user id',
    ]);
    const short = await getPage(h.app, '/admin/users?email=a');
    expect([short.status, await errorMessageOf(short)]).toEqual([
      400,
      'email: type between 2 and 320 characters of the email',
    ]);
    expect(await profile()).toEqual(before);
    expect(await audit()).toEqual([]);
  });

  it('sends a visitor to sign in and refuses a user with a 403 page, changing nothing', async () => {
    for (const path of ['/admin/users', `/admin/users/${target.userId}`]) {
      expect((await getPage(h.app, path, {})).headers.get('location')).toBe(
        `/sign-in?next=${encodeURIComponent(path)}`,
      );
      expect((await getPage(h.app, path, { cookie: userCookie })).status).toBe(403);
    }
    for (const action of ['disable', 'enable', 'revoke-sessions', 'require-reset']) {
      const fields = { reason: 'x', confirm: TARGET };
      const res = await postForm(h.app, `/admin/users/${target.userId}/${action}`, fields, {
        cookie: userCookie,
      });
      expect([action, res.status, await errorMessageOf(res)]).toEqual([action, 403, 'admins only']);
    }
    expect(await sessionStatus(h.app, target.cookie)).toBe(200);
    expect(await audit()).toEqual([]);
  });

  it('works in read-only and maintenance, as `polaris users disable` does (containing a breach during a shutdown)', async () => {
    for (const name of ['read_only', 'maintenance']) {
      await setFlag({
        ctx: h.t.ctx,
        input: { name, state: 'on', reason: 'breach', message: 'down', actor: 'test' },
      });
    }
    const res = await postForm(
      h.app,
      `/admin/users/${target.userId}/disable`,
      { reason: 'breach', confirm: TARGET },
      { cookie: adminCookie },
    );
    expect(res.status).toBe(303);
    expect((await profile()).disabled_at).not.toBeNull();
    const user = await postForm(
      h.app,
      `/admin/users/${target.userId}/enable`,
      { reason: 'x' },
      { cookie: userCookie },
    );
    expect(user.status).toBe(403);
  });
});

describe('admin user pages over a database that cannot be reached', () => {
  let dead: Awaited<ReturnType<typeof createUnreachableContext>>;
  beforeAll(async () => {
    dead = await createUnreachableContext();
  });
  afterAll(() => dead?.close());

  it('answers an HTML 503 page, never a crash', async () => {
    const app = fullApp(dead.ctx);
    const id = '00000000-0000-4000-8000-000000000000';
    for (const res of [
      await getPage(app, '/admin/users?email=someone'),
      await getPage(app, `/admin/users/${id}`),
      await postForm(app, `/admin/users/${id}/disable`, { reason: 'x', confirm: 'x@example.com' }),
    ]) {
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('Temporarily unavailable');
    }
  });
});
