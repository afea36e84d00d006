import { expect, it } from 'vitest';
import { runCliWith } from '../../../../test/support/cli-in-process.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { appOverSuiteDatabase, signedUp } from '../../../../test/support/security.ts';
import type { RequestLogEntry } from '../../../domain/request-log.ts';

const HOUR_MS = 60 * 60 * 1000;

describeEachBackend('polaris audit requests / audit log', { migrated: true }, (get) => {
  const h = appOverSuiteDatabase(get);
  const cli = (...args: string[]) => runCliWith(h.t.ctx, args);

  /** Request-log rows `hoursAgo` before the context's clock. */
  const logged = (hoursAgo: number, rows: Partial<RequestLogEntry>[]) =>
    h.t.ctx.repos.requestLogs.insertMany(
      rows.map((r, i) => ({
        userId: null,
        method: 'GET',
        path: '/api/usage',
        status: 200,
        ip: '198.51.100.7',
        userAgent: 'test',
        durationMs: 3,
        requestId: `seed-${hoursAgo}-${i}`,
        at: new Date(h.t.ctx.now().getTime() - hoursAgo * HOUR_MS),
        ...r,
      })),
    );

  it('audit requests shows requests per user, 401/403 bursts per address and top paths, as tables and as JSON', async () => {
    const { userId } = await signedUp(h.app, get().db, 'busy@example.com');
    const burst = Array.from({ length: 6 }, (_, i) => ({
      ip: '203.0.113.66',
      status: i < 4 ? 401 : 403,
      path: '/api/auth/sign-in/email',
      method: 'POST',
    }));
    await logged(1, [{ userId }, { userId }, { userId, status: 500, path: '/api/blueprints' }, ...burst]);
    await logged(2, [{ ip: '203.0.113.66', status: 403 }]);
    await logged(30, [{ userId }, { ip: '203.0.113.66', status: 401 }]);

    const r = await cli('audit', 'requests', '--since', '24h');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const since = new Date(h.t.ctx.now().getTime() - 24 * HOUR_MS).toISOString();
    const at = new Date(h.t.ctx.now().getTime() - HOUR_MS).toISOString();
    const earlier = new Date(h.t.ctx.now().getTime() - 2 * HOUR_MS).toISOString();
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`request log since ${since}`);
    const titles = lines.filter((l) => /^[A-Z0-9]/.test(l));
    expect(titles).toEqual([
      'API usage by user (the runbook query: requests per user)',
      '401/403 bursts per client address',
      'Top paths',
    ]);
    // The runbook query counts only the window: the 30-hour-old rows are out.
    expect(r.stdout).toMatch(/│ \(signed out\)\s+│\s+│ 7\s+│ 7\s+│/);
    expect(r.stdout).toContain(`│ ${userId} │ busy@example.com │ 3        │ 1       │`);
    // Seven refusals, six of them within one minute: the burst.
    expect(r.stdout).toContain(
      `│ 203.0.113.66 │ 7       │ 4   │ 3   │ 6        │ 0     │ ${earlier} │ ${at} │`,
    );
    expect(r.stdout).toMatch(/│ POST\s+│ \/api\/auth\/sign-in\/email │ 6\s+│ 6\s+│/);

    const json = await cli('--json', 'audit', 'requests', '--since', '24h', '--ip', '203.0.113.66');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: true,
      since,
      user: null,
      ip: '203.0.113.66',
      users: [{ userId: null, email: null, requests: 7, errors: 7 }],
      refusalsByIp: [
        {
          ip: '203.0.113.66',
          refused: 7,
          unauthorized: 4,
          forbidden: 3,
          peakPerMinute: 6,
          users: 0,
          first: earlier,
          last: at,
        },
      ],
      paths: [
        { method: 'POST', path: '/api/auth/sign-in/email', requests: 6, errors: 6 },
        { method: 'GET', path: '/api/usage', requests: 1, errors: 1 },
      ],
    });

    const mine = JSON.parse(
      (await cli('--json', 'audit', 'requests', '--since', '2d', '--user', 'busy@example.com')).stdout,
    );
    expect(mine.error).toBeUndefined();
    expect(mine.user).toEqual({ userId, email: 'busy@example.com' });
    expect(mine.users).toEqual([{ userId, email: 'busy@example.com', requests: 4, errors: 1 }]);
    expect(mine.refusalsByIp).toEqual([]);

    const quiet = await cli('audit', 'requests', '--since', '1m');
    expect(quiet.stdout).toContain('401/403 bursts per client address\n(none)\n');
  });

  it('audit log lists actions newest first, filtered by actor and action family, and skips rows before --since', async () => {
    await h.t.ctx.repos.audit.record(
      { actor: 'cli:audit-test', action: 'user.disable', target: 'a@example.com', reason: 'phished' },
      {
        actor: 'cli:audit-test',
        action: 'sessions.revoke',
        target: 'all',
        reason: 'breach',
        details: { sessions: 3 },
      },
      { actor: 'cli:someone-else', action: 'user.disable', target: 'b@example.com', reason: 'spam' },
    );
    await get()
      .db.insertInto('audit_log')
      .values({
        actor: 'cli:audit-test',
        action: 'user.enable',
        target: 'a@example.com',
        reason: 'old',
        created_at: new Date(h.t.ctx.now().getTime() - 48 * HOUR_MS),
      })
      .execute();
    const r = await cli('audit', 'log', '--since', '24h', '--actor', 'cli:audit-test');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^audit log since \S+: 2 entries$/);
    expect(
      lines
        .filter((l) => l.includes('cli:audit-test'))
        .map((l) =>
          l
            .split('│')
            .slice(2, 7)
            .map((c) => c.trim()),
        ),
    ).toEqual([
      ['cli:audit-test', 'sessions.revoke', 'all', 'breach', '{"sessions":3}'],
      ['cli:audit-test', 'user.disable', 'a@example.com', 'phished', ''],
    ]);

    const family = await cli('--json', 'audit', 'log', '--since', '3d', '--action', 'user');
    const entries = JSON.parse(family.stdout).entries as { actor: string; action: string; reason: string }[];
    expect(entries.map((e) => [e.actor, e.action, e.reason])).toEqual([
      ['cli:someone-else', 'user.disable', 'spam'],
      ['cli:audit-test', 'user.disable', 'phished'],
      ['cli:audit-test', 'user.enable', 'old'],
    ]);
    const exact = await cli('--json', 'audit', 'log', '--since', '3d', '--action', 'user.enable');
    expect(JSON.parse(exact.stdout).entries.map((e: { reason: string }) => e.reason)).toEqual(['old']);
  });

  it('refuses a bad --since, --ip, --action or an unknown --user with exit 2 and one clear line', async () => {
    const cases: [string[], string][] = [
      [
        ['audit', 'requests', '--since', 'yesterday'],
        'polaris: --since "yesterday": expected a window like 30m, 24h or 7d, or a past ISO date like 2026-11-29T08:00Z\n',
      ],
      [['audit', 'log', '--since', '900d'], 'polaris: --since 900d: give a window between 1m and 366d\n'],
      [['audit', 'requests', '--user', 'ghost@example.com'], 'polaris: no user ghost@example.com\n'],
      [
        ['audit', 'requests', '--ip', "1.2.3.4' OR 1=1"],
        `polaris: --ip "1.2.3.4' OR 1=1": expected an IPv4 or IPv6 address\n`,
      ],
      [
        ['audit', 'log', '--action', 'user%'],
        'polaris: --action "user%": expected an action like user.disable, or a family like user\n',
      ],
    ];
    for (const [args, stderr] of cases) {
      expect(await cli(...args), args.join(' ')).toEqual({ code: 2, stdout: '', stderr });
    }
    const json = await cli('--json', 'audit', 'log', '--since', 'soon');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error.code).toBe('bad_request');
  });
});
