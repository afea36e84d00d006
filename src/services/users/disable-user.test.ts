import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/databases.ts';
import {
  appOverSuiteDatabase,
  auditRows,
  sessionStatus,
  signedUp,
  signInAs,
} from '../../../test/support/security.ts';
import { createSubscription } from '../../../test/support/seed.ts';
import { disableUser } from './disable-user.ts';
import { enableUser } from './enable-user.ts';

describeEachBackend('disableUser and enableUser', { migrated: true }, (get) => {
  const h = appOverSuiteDatabase(get);

  it('signs a disabled user out everywhere, refuses sign-in with 403 account_disabled, leaves the subscription, and audits; enable lets them back', async () => {
    const email = 'disable-me@example.com';
    const { userId, cookie } = await signedUp(h.app, get().db, email);
    const second = (await signInAs(h.app, email)).status;
    expect(second).toBe(200);
    const subscriptionId = await createSubscription(get().db, userId, { status: 'active' });
    const before = await get()
      .db.selectFrom('subscriptions')
      .selectAll()
      .where('user_id', '=', userId)
      .execute();
    expect(await sessionStatus(h.app, cookie)).toBe(200);

    const preview = await disableUser({
      ctx: h.t.ctx,
      input: { user: 'Disable-Me@Example.com', reason: 'stolen laptop', actor: 'cli:test', confirmed: false },
    });
    expect(preview).toEqual({ confirmed: false, userId, email, liveSessions: 2 });
    expect(await sessionStatus(h.app, cookie)).toBe(200);
    expect(await auditRows(get().db, 'user.disable')).toEqual([]);

    const done = await disableUser({
      ctx: h.t.ctx,
      input: { user: 'Disable-Me@Example.com', reason: 'stolen laptop', actor: 'cli:test', confirmed: true },
    });
    if (!done.confirmed) throw new Error('disable was not confirmed');
    expect(done).toMatchObject({ userId, email, changed: true, sessionsRevoked: 2 });
    expect(await sessionStatus(h.app, cookie)).toBe(401);
    expect(await signInAs(h.app, email)).toEqual({ status: 403, code: 'account_disabled' });
    expect(
      await get().db.selectFrom('auth_session').select('id').where('user_id', '=', userId).execute(),
    ).toEqual([]);
    const after = await get()
      .db.selectFrom('subscriptions')
      .selectAll()
      .where('user_id', '=', userId)
      .execute();
    expect(after).toEqual(before);
    expect(after[0]?.subscription_id).toBe(subscriptionId);
    expect(await auditRows(get().db, 'user.disable')).toEqual([
      {
        actor: 'cli:test',
        action: 'user.disable',
        target: userId,
        reason: 'stolen laptop',
        details: { email, alreadyDisabled: false, sessionsRevoked: 2 },
      },
    ]);

    const again = await disableUser({
      ctx: h.t.ctx,
      input: { user: userId, reason: 'again', actor: 'cli:test', confirmed: true },
    });
    expect(again).toMatchObject({ changed: false, sessionsRevoked: 0, disabledAt: done.disabledAt });

    const enabled = await enableUser({
      ctx: h.t.ctx,
      input: { user: email, reason: 'laptop found', actor: 'cli:test' },
    });
    expect(enabled).toEqual({ userId, email, changed: true });
    expect((await signInAs(h.app, email)).status).toBe(200);
    expect(await sessionStatus(h.app, cookie)).toBe(401);
    expect(
      (await enableUser({ ctx: h.t.ctx, input: { user: email, reason: 'twice', actor: 'cli:test' } }))
        .changed,
    ).toBe(false);
    expect((await auditRows(get().db, 'user.enable')).map((r) => [r.reason, r.details])).toEqual([
      ['laptop found', { email, wasDisabled: true }],
      ['twice', { email, wasDisabled: false }],
    ]);
  });

  it('refuses an unknown user, a malformed name and a missing reason with a clear error, writing nothing', async () => {
    const count = async () => (await get().db.selectFrom('audit_log').select('id').execute()).length;
    const before = await count();
    const cases: [Record<string, string | undefined>, string, RegExp][] = [
      [{ user: 'nobody@example.com', reason: 'r' }, 'not_found', /^no user nobody@example\.com$/],
      [{ user: '00000000-0000-4000-8000-000000000000', reason: 'r' }, 'not_found', /^no user 0{8}-/],
      [{ user: 'not a user', reason: 'r' }, 'bad_request', /neither an email nor a user id/],
      [{ user: 'disable-me@example.com', reason: undefined }, 'bad_request', /^reason: required/],
      [{ user: 'disable-me@example.com', reason: '   ' }, 'bad_request', /^reason: required/],
      [{ user: 'disable-me@example.com', reason: 'x'.repeat(501) }, 'bad_request', /^reason: at most 500/],
    ];
    for (const [input, code, message] of cases) {
      for (const verb of [disableUser, enableUser]) {
        await expect(
          verb({
            ctx: h.t.ctx,
            input: { user: input.user ?? '', reason: input.reason, actor: 'cli:test', confirmed: true },
          }),
        ).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
      }
    }
    expect(await count()).toBe(before);
  });
});
