import { userInfo } from 'node:os';
import { expect, it } from 'vitest';
import { runCliWith } from '../../../../test/support/cli-in-process.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import {
  appOverSuiteDatabase,
  auditRows,
  sessionStatus,
  signedUp,
  signInAs,
} from '../../../../test/support/security.ts';

const ACTOR = `cli:${userInfo().username}`;

describeEachBackend(
  'polaris users disable / enable / require-password-reset and sessions revoke',
  { migrated: true },
  (get) => {
    const h = appOverSuiteDatabase(get);
    const cli = (...args: string[]) => runCliWith(h.t.ctx, args);
    const auditCount = async () => (await get().db.selectFrom('audit_log').select('id').execute()).length;

    it('users disable signs the account out and prints what it did; enable lets it back; both audited as the OS user', async () => {
      const { userId, cookie } = await signedUp(h.app, get().db, 'cli-disable@example.com');
      const refused = await cli('users', 'disable', 'cli-disable@example.com', '--reason', 'phished');
      expect(refused).toEqual({
        code: 2,
        stdout: `would disable cli-disable@example.com (user id ${userId}) and revoke its 1 live sessions\n`,
        stderr:
          'polaris: disabling an account signs it out everywhere and refuses its sign-in; run again with --yes to confirm\n',
      });
      expect(await sessionStatus(h.app, cookie)).toBe(200);
      expect(await auditRows(get().db, 'user.disable')).toEqual([]);

      const r = await cli('users', 'disable', 'cli-disable@example.com', '--reason', 'phished', '--yes');
      expect(r).toEqual({
        code: 0,
        stderr: '',
        stdout: [
          `disabled cli-disable@example.com (user id ${userId}); sign-in now answers 403 account_disabled`,
          'sessions revoked: 1; the subscription is untouched',
          `recorded in audit_log as ${ACTOR}`,
          '',
        ].join('\n'),
      });
      expect(await sessionStatus(h.app, cookie)).toBe(401);
      expect(await signInAs(h.app, 'cli-disable@example.com')).toEqual({
        status: 403,
        code: 'account_disabled',
      });

      const json = await cli('--json', 'users', 'enable', userId, '--reason', 'cleared');
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({
        ok: true,
        userId,
        email: 'cli-disable@example.com',
        changed: true,
      });
      expect((await signInAs(h.app, 'cli-disable@example.com')).status).toBe(200);
      expect((await auditRows(get().db, 'user.disable')).map((a) => a.actor)).toEqual([ACTOR]);
      expect((await auditRows(get().db, 'user.enable')).map((a) => a.actor)).toEqual([ACTOR]);
    });

    it('refuses an unknown user, a bad name or a missing --reason with exit 2 and one line, writing nothing', async () => {
      const before = await auditCount();
      const cases: [string[], string][] = [
        [['users', 'disable', 'ghost@example.com', '--reason', 'r'], 'polaris: no user ghost@example.com\n'],
        [['users', 'enable', 'ghost@example.com', '--reason', 'r'], 'polaris: no user ghost@example.com\n'],
        [
          ['users', 'disable', 'ghost', '--reason', 'r'],
          'polaris: "ghost" is neither an email nor a user id\n',
        ],
        [
          ['users', 'disable', 'cli-disable@example.com'],
          'polaris: reason: required (--reason "why"); it goes to the audit log\n',
        ],
        [['sessions', 'revoke', '--reason', 'r'], 'polaris: say whom: --all, or --user <email|id>\n'],
        [
          ['sessions', 'revoke', '--user', 'ghost@example.com', '--reason', 'r'],
          'polaris: no user ghost@example.com\n',
        ],
        [
          ['users', 'require-password-reset', '--all', '--user', 'cli-disable@example.com', '--reason', 'r'],
          'polaris: give --all or --user, not both\n',
        ],
        [
          ['users', 'require-password-reset', '--user', 'cli-disable@example.com'],
          'polaris: reason: required (--reason "why"); it goes to the audit log\n',
        ],
      ];
      for (const [args, stderr] of cases) {
        expect(await cli(...args), args.join(' ')).toEqual({ code: 2, stdout: '', stderr });
      }
      const json = await cli('--json', 'users', 'disable', 'ghost@example.com', '--reason', 'r');
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout)).toEqual({
        ok: false,
        error: { code: 'not_found', message: 'no user ghost@example.com' },
      });
      expect(await auditCount()).toBe(before);
    });

    it('sessions revoke --all without --yes prints what it would do and exits 2; with --yes every old cookie answers 401', async () => {
      const { cookie } = await signedUp(h.app, get().db, 'cli-revoke@example.com');
      const live = (
        await get().db.selectFrom('auth_session').select('id').where('expires_at', '>', new Date()).execute()
      ).length;
      const before = await auditCount();
      const refused = await cli('sessions', 'revoke', '--all', '--reason', 'breach');
      expect(refused).toEqual({
        code: 2,
        stdout: `would revoke ${live} live sessions of every account\n`,
        stderr:
          'polaris: revoking every session signs everyone out, operators included; run again with --yes to confirm\n',
      });
      expect(await sessionStatus(h.app, cookie)).toBe(200);
      expect(await auditCount()).toBe(before);

      const done = await cli('--json', 'sessions', 'revoke', '--all', '--reason', 'breach', '--yes');
      expect(done.code).toBe(0);
      expect(JSON.parse(done.stdout)).toEqual({
        ok: true,
        confirmed: true,
        scope: 'all',
        email: null,
        sessions: live,
      });
      expect(await sessionStatus(h.app, cookie)).toBe(401);

      const again = await signedUp(h.app, get().db, 'cli-revoke-2@example.com');
      const one = await cli('sessions', 'revoke', '--user', 'cli-revoke-2@example.com', '--reason', 'r');
      expect(one.stdout).toBe(
        `revoked 1 live session of cli-revoke-2@example.com\nrecorded in audit_log as ${ACTOR}\n`,
      );
      expect(await sessionStatus(h.app, again.cookie)).toBe(401);
    });

    it('users require-password-reset prints a table with one single-use link; --all asks for --yes', async () => {
      await signedUp(h.app, get().db, 'cli-reset@example.com');
      const r = await cli(
        'users',
        'require-password-reset',
        '--user',
        'cli-reset@example.com',
        '--reason',
        'leak',
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^password reset required of 1 account; sessions revoked: 1\n/);
      expect(r.stdout).toMatch(
        /│ cli-reset@example\.com │ http:\/\/localhost:3000\/reset-password\?token=[A-Za-z0-9]{24} │ \d{4}-/,
      );
      expect(r.stdout).toContain('delivery through the notification outbox comes with the incidents work');
      expect(await signInAs(h.app, 'cli-reset@example.com')).toEqual({
        status: 403,
        code: 'password_reset_required',
      });

      const before = await auditCount();
      const refused = await cli('--json', 'users', 'require-password-reset', '--all', '--reason', 'breach');
      expect(refused.code).toBe(2);
      expect(JSON.parse(refused.stdout)).toMatchObject({
        ok: false,
        confirmed: false,
        scope: 'all',
        error: { code: 'bad_request' },
      });
      expect(await auditCount()).toBe(before);
    });
  },
);
