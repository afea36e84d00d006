import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_AUTH } from '../../../../test/support/accounts.ts';
import { createUnreachableContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { resetFlags, storedFlags } from '../../../../test/support/flags.ts';
import { fullApp } from '../../../../test/support/full-app.ts';
import {
  maintenanceAuditRows,
  recordingNotify,
  resetMaintenance,
} from '../../../../test/support/maintenance.ts';
import { appOverSuiteDatabase, signedUp } from '../../../../test/support/security.ts';
import { setFlag } from '../../../services/flags/set-flag.ts';
import { runMaintenanceWindows } from '../../../services/maintenance/run-maintenance-windows.ts';

type App = ReturnType<typeof fullApp>;
type ErrorBody = { error: { code: string; message: string } };
type WindowBody = { window: { id: string; status: string; createdBy: string } };
const bearer = { authorization: `Bearer ${TEST_AUTH.adminToken}` };
const H = 3_600_000;

function post(app: App, path: string, body: unknown, headers: Record<string, string> = bearer) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: TEST_AUTH.baseUrl, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describeEachBackend('admin maintenance API', { migrated: true }, (get) => {
  const h = appOverSuiteDatabase(get);
  let userCookie = '';
  let adminCookie = '';
  // The suite's clock is the emulator's: windows are placed relative to it.
  const at = (hours: number) => new Date(h.t.ctx.now().getTime() + hours * H).toISOString();
  const window = (from: number, to: number, extra: Record<string, unknown> = {}) => ({
    start: at(from),
    end: at(to),
    message: 'Database upgrade',
    ...extra,
  });

  beforeAll(async () => {
    userCookie = (await signedUp(h.app, get().db, 'mw-user@example.com')).cookie;
    adminCookie = (await signedUp(h.app, get().db, 'mw-admin@example.com')).cookie;
    await get()
      .db.updateTable('user_profiles')
      .set({ role: 'admin' })
      .where('email', '=', 'mw-admin@example.com')
      .execute();
  });
  beforeEach(async () => {
    await resetMaintenance(get().db);
    await resetFlags(get().db);
  });
  const scheduleOne = async (from = 48, to = 50) => {
    const res = await post(
      h.app,
      '/api/admin/maintenance',
      window(from, to, { components: ['checkout'], notify: true }),
    );
    expect(res.status).toBe(201);
    return ((await res.json()) as WindowBody).window.id;
  };

  it('schedules, lists and cancels a window, audited as the caller', async () => {
    const id = await scheduleOne();
    const listed = await h.app.request('/api/admin/maintenance', { headers: { cookie: adminCookie } });
    expect(listed.headers.get('cache-control')).toBe('no-store');
    expect(await listed.json()).toMatchObject({
      windows: [
        { id, status: 'scheduled', components: ['checkout'], notify: true, createdBy: 'admin-token' },
      ],
    });
    const cancelled = await post(
      h.app,
      `/api/admin/maintenance/MW-${id}/cancel`,
      { reason: 'postponed' },
      { cookie: adminCookie },
    );
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({
      confirmed: true,
      window: { id, status: 'cancelled', cancelledBy: 'mw-admin@example.com' },
      flag: null,
    });
    const live = await h.app.request('/api/admin/maintenance', { headers: bearer });
    expect(((await live.json()) as { windows: unknown[] }).windows).toEqual([]);
    const all = await h.app.request('/api/admin/maintenance?all=true', { headers: bearer });
    expect(((await all.json()) as { windows: { id: string }[] }).windows.map((w) => w.id)).toEqual([id]);
    expect((await maintenanceAuditRows(get().db)).map((r) => [r.actor, r.action, r.reason])).toEqual([
      ['admin-token', 'maintenance.schedule', null],
      ['mw-admin@example.com', 'maintenance.cancel', 'postponed'],
    ]);
  });

  it('cancelling a window in progress turns maintenance off', async () => {
    const id = await scheduleOne(1, 2);
    const later = { ...h.t.ctx, now: () => new Date(h.t.ctx.now().getTime() + 1.5 * H) };
    await runMaintenanceWindows({ ctx: later, input: recordingNotify() });
    expect((await storedFlags(get().db)).maintenance).toMatchObject({ state: 'on' });
    const res = await post(h.app, `/api/admin/maintenance/${id}/cancel`, {});
    expect(await res.json()).toMatchObject({
      window: { status: 'cancelled' },
      flag: { action: 'turned-off' },
    });
    expect((await storedFlags(get().db)).maintenance).toMatchObject({ state: 'off', actor: 'admin-token' });
  });

  it('answers 401 to anonymous callers and 403 to non-admins on every route, writing nothing', async () => {
    const id = await scheduleOne();
    const audit = await maintenanceAuditRows(get().db);
    for (const [headers, status, code] of [
      [{}, 401, 'unauthorized'],
      [{ cookie: userCookie }, 403, 'forbidden'],
    ] as const) {
      const responses = [
        await h.app.request('/api/admin/maintenance', { headers }),
        await post(h.app, '/api/admin/maintenance', window(60, 61), headers),
        await post(h.app, `/api/admin/maintenance/${id}/cancel`, {}, headers),
      ];
      for (const res of responses) {
        expect([res.status, ((await res.json()) as ErrorBody).error.code]).toEqual([status, code]);
      }
    }
    expect(await maintenanceAuditRows(get().db)).toEqual(audit);
  });

  it('refuses each bad input with its status and message, writing nothing', async () => {
    const id = await scheduleOne(48, 50);
    const audit = await maintenanceAuditRows(get().db);
    const cases: [string, unknown, number, string | RegExp][] = [
      ['/api/admin/maintenance', window(5, 4), 400, /^end: \S+ is not after start \S+$/],
      [
        '/api/admin/maintenance',
        window(-1, 4),
        400,
        /^start: \S+ is in the past \(now \S+\); for maintenance now use polaris maintenance on --for <duration>$/,
      ],
      [
        '/api/admin/maintenance',
        window(49, 51),
        409,
        /^the window overlaps MW-\d+ \(scheduled, \S+ to \S+\); cancel it or pick another time$/,
      ],
      [
        '/api/admin/maintenance',
        { ...window(5, 6), start: '5 Dec 02:00' },
        400,
        /^start: cannot read '5 Dec 02:00'; use an ISO time with its zone/,
      ],
      [
        '/api/admin/maintenance',
        window(5, 30),
        400,
        'end: the window lasts 25h; at most 24h (maintenance mode refuses every non-admin write for all of it)',
      ],
      [
        '/api/admin/maintenance',
        { ...window(5, 6), components: ['cdn'] },
        400,
        "components: 'cdn' is not one of checkout, webhooks, api, web, database",
      ],
      ['/api/admin/maintenance', { ...window(5, 6), message: ' ' }, 400, 'message: required'],
      ['/api/admin/maintenance', { ...window(5, 6), when: 'now' }, 400, 'unknown field: when'],
      ['/api/admin/maintenance', '{"start":', 400, 'the body is not valid JSON'],
      ['/api/admin/maintenance/424242/cancel', {}, 404, 'no maintenance window MW-424242'],
      [
        '/api/admin/maintenance/next/cancel',
        {},
        400,
        "id: 'next' is not a maintenance window id (a number such as 3)",
      ],
    ];
    for (const [path, body, status, message] of cases) {
      const res = await post(h.app, path, body);
      const error = ((await res.json()) as ErrorBody).error;
      expect([path, res.status]).toEqual([path, status]);
      if (typeof message === 'string') expect(error.message).toBe(message);
      else expect(error.message).toMatch(message);
    }
    const stored = await get().db.selectFrom('maintenance_windows').selectAll().execute();
    expect(stored.map((w) => [w.id, w.status])).toEqual([[id, 'scheduled']]);
    expect((await post(h.app, `/api/admin/maintenance/${id}/cancel`, {})).status).toBe(200);
    const twice = await post(h.app, `/api/admin/maintenance/${id}/cancel`, {});
    expect([twice.status, ((await twice.json()) as ErrorBody).error.message]).toEqual([
      409,
      `MW-${id} is already cancelled`,
    ]);
    expect((await maintenanceAuditRows(get().db)).slice(0, audit.length)).toEqual(audit);
    expect(await maintenanceAuditRows(get().db)).toHaveLength(audit.length + 1);
  });

  it('an admin schedules and cancels during read-only and maintenance (emergency shutdown); a user still cannot', async () => {
    for (const name of ['read_only', 'maintenance']) {
      await setFlag({
        ctx: h.t.ctx,
        input: { name, state: 'on', reason: 'shutdown', message: 'down', actor: 'test' },
      });
    }
    const res = await post(h.app, '/api/admin/maintenance', window(3, 4), { cookie: adminCookie });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as WindowBody).window.id;
    expect(
      (await post(h.app, `/api/admin/maintenance/${id}/cancel`, {}, { cookie: userCookie })).status,
    ).toBe(403);
    expect(
      (await post(h.app, `/api/admin/maintenance/${id}/cancel`, {}, { cookie: adminCookie })).status,
    ).toBe(200);
  });
});

describe('admin maintenance API over a database that cannot be reached', () => {
  it('answers 503 database_unavailable with Retry-After to reads and writes', async () => {
    const dead = await createUnreachableContext();
    try {
      const app = fullApp(dead.ctx);
      const start = new Date(dead.ctx.now().getTime() + 48 * H);
      const end = new Date(start.getTime() + H);
      for (const res of [
        await app.request('/api/admin/maintenance', { headers: bearer }),
        await post(app, '/api/admin/maintenance', {
          start: start.toISOString(),
          end: end.toISOString(),
          message: 'x',
        }),
        await post(app, '/api/admin/maintenance/1/cancel', {}),
      ]) {
        expect(res.status).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await res.json()) as ErrorBody).error.code).toBe('database_unavailable');
      }
    } finally {
      await dead.close();
    }
  });
});
