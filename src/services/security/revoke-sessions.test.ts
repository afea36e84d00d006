import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { appOverSuiteDatabase, auditRows, sessionStatus, signedUp } from '../../../test/support/security.ts';
import { revokeSessions } from './revoke-sessions.ts';

describeEachBackend('revokeSessions', { migrated: true }, (get) => {
  const h = appOverSuiteDatabase(get);
  const actor = 'cli:test';

  it('revokes one user’s sessions only; the next request with the old cookie answers 401', async () => {
    const a = await signedUp(h.app, get().db, 'revoke-a@example.com');
    const b = await signedUp(h.app, get().db, 'revoke-b@example.com');
    const done = await revokeSessions({
      ctx: h.t.ctx,
      input: { user: 'revoke-a@example.com', reason: 'token leaked', actor, confirmed: false },
    });
    expect(done).toEqual({ confirmed: true, scope: 'user', email: 'revoke-a@example.com', sessions: 1 });
    expect(await sessionStatus(h.app, a.cookie)).toBe(401);
    expect(await sessionStatus(h.app, b.cookie)).toBe(200);
    expect(await auditRows(get().db, 'sessions.revoke')).toEqual([
      {
        actor,
        action: 'sessions.revoke',
        target: a.userId,
        reason: 'token leaked',
        details: { email: 'revoke-a@example.com', sessionsRevoked: 1 },
      },
    ]);
  });

  it('--all without confirmation changes nothing and counts what would go; confirmed, every session goes', async () => {
    const c = await signedUp(h.app, get().db, 'revoke-c@example.com');
    const live = await get().db.selectFrom('auth_session').select('id').execute();
    const preview = await revokeSessions({
      ctx: h.t.ctx,
      input: { all: true, reason: 'breach', actor, confirmed: false },
    });
    expect(preview).toEqual({ confirmed: false, scope: 'all', email: null, sessions: live.length });
    expect(await sessionStatus(h.app, c.cookie)).toBe(200);
    expect(await auditRows(get().db, 'sessions.revoke')).toHaveLength(1);

    const done = await revokeSessions({
      ctx: h.t.ctx,
      input: { all: true, reason: 'breach', actor, confirmed: true },
    });
    expect(done).toEqual({ confirmed: true, scope: 'all', email: null, sessions: live.length });
    expect(await sessionStatus(h.app, c.cookie)).toBe(401);
    expect(await get().db.selectFrom('auth_session').select('id').execute()).toEqual([]);
    expect((await auditRows(get().db, 'sessions.revoke')).at(-1)).toMatchObject({
      target: 'all',
      reason: 'breach',
      details: { sessionsRevoked: live.length },
    });
  });

  it('refuses neither or both of --all and --user, an unknown user, and a missing reason, writing nothing', async () => {
    const before = (await auditRows(get().db, 'sessions.revoke')).length;
    const cases: [Parameters<typeof revokeSessions>[0]['input'], string, RegExp][] = [
      [{ reason: 'r', actor, confirmed: true }, 'bad_request', /^say whom: --all, or --user/],
      [
        { all: true, user: 'revoke-a@example.com', reason: 'r', actor, confirmed: true },
        'bad_request',
        /not both/,
      ],
      [
        { user: 'ghost@example.com', reason: 'r', actor, confirmed: true },
        'not_found',
        /^no user ghost@example\.com$/,
      ],
      [{ all: true, actor, confirmed: true }, 'bad_request', /^reason: required/],
    ];
    for (const [input, code, message] of cases) {
      await expect(revokeSessions({ ctx: h.t.ctx, input })).rejects.toMatchObject({
        code,
        message: expect.stringMatching(message),
      });
    }
    expect(await auditRows(get().db, 'sessions.revoke')).toHaveLength(before);
  });
});
