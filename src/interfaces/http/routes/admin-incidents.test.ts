import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_AUTH } from '../../../../test/support/accounts.ts';
import { createUnreachableContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { resetFlags } from '../../../../test/support/flags.ts';
import { fullApp } from '../../../../test/support/full-app.ts';
import { incidentAuditRows, resetIncidents } from '../../../../test/support/incidents.ts';
import { appOverSuiteDatabase, signedUp } from '../../../../test/support/security.ts';
import { setFlag } from '../../../services/flags/set-flag.ts';

type App = ReturnType<typeof fullApp>;
type ErrorBody = { error: { code: string; message: string } };
const bearer = { authorization: `Bearer ${TEST_AUTH.adminToken}` };
const OPEN = {
  severity: 'high',
  type: 'payment.webhooks',
  title: 'Webhooks failing',
  components: ['webhooks'],
};

function post(app: App, path: string, body: unknown, headers: Record<string, string> = bearer) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: TEST_AUTH.baseUrl, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describeEachBackend('admin incidents API', { migrated: true }, (get) => {
  const h = appOverSuiteDatabase(get);
  let userCookie = '';
  let adminCookie = '';

  beforeAll(async () => {
    userCookie = (await signedUp(h.app, get().db, 'inc-user@example.com')).cookie;
    adminCookie = (await signedUp(h.app, get().db, 'inc-admin@example.com')).cookie;
    await get()
      .db.updateTable('user_profiles')
      .set({ role: 'admin' })
      .where('email', '=', 'inc-admin@example.com')
      .execute();
  });
  beforeEach(async () => {
    await resetIncidents(get().db);
    await resetFlags(get().db);
  });
  const openOne = async () => {
    const res = await post(h.app, '/api/admin/incidents', OPEN);
    expect(res.status).toBe(201);
    return ((await res.json()) as { incident: { id: string } }).incident.id;
  };

  it('opens, lists, acks, updates, notes, resolves and shows an incident, audited as the caller', async () => {
    const id = await openOne();
    const base = `/api/admin/incidents/${id}`;
    expect((await post(h.app, `${base}/ack`, {}, { cookie: adminCookie })).status).toBe(200);
    const update = await post(h.app, `${base}/updates`, {
      status: 'identified',
      message: 'Found it',
      public: true,
    });
    expect(update.status).toBe(200);
    expect(await update.json()).toMatchObject({
      incident: { status: 'identified', commander: 'inc-admin@example.com' },
      entry: { kind: 'status_update', public: true, actor: 'admin-token' },
    });
    expect((await post(h.app, `${base}/notes`, { message: 'Root cause: secret rotated' })).status).toBe(201);
    const listed = await h.app.request('/api/admin/incidents?open=true', { headers: bearer });
    expect(listed.headers.get('cache-control')).toBe('no-store');
    expect(((await listed.json()) as { incidents: { id: string }[] }).incidents.map((i) => i.id)).toEqual([
      id,
    ]);
    expect((await post(h.app, `${base}/resolve`, { message: 'Deliveries flow again' })).status).toBe(200);
    const open = await h.app.request('/api/admin/incidents?open=true', { headers: bearer });
    expect(((await open.json()) as { incidents: unknown[] }).incidents).toEqual([]);
    const shown = await h.app.request(base, { headers: { cookie: adminCookie } });
    expect(shown.status).toBe(200);
    const record = (await shown.json()) as { incident: { status: string }; timeline: { kind: string }[] };
    expect(record.incident.status).toBe('resolved');
    expect(record.timeline.map((e) => e.kind)).toEqual([
      'opened',
      'acknowledged',
      'status_update',
      'note',
      'resolved',
    ]);
    expect((await incidentAuditRows(get().db)).map((r) => [r.actor, r.action])).toEqual([
      ['admin-token', 'incident.open'],
      ['inc-admin@example.com', 'incident.ack'],
      ['admin-token', 'incident.update'],
      ['admin-token', 'incident.note'],
      ['admin-token', 'incident.resolve'],
    ]);
  });

  it('answers 401 to anonymous callers and 403 to non-admins on every route, writing nothing', async () => {
    const id = await openOne();
    const audit = await incidentAuditRows(get().db);
    const writes: [string, unknown][] = [
      ['/api/admin/incidents', OPEN],
      [`/api/admin/incidents/${id}/updates`, { status: 'identified', message: 'x' }],
      [`/api/admin/incidents/${id}/ack`, {}],
      [`/api/admin/incidents/${id}/resolve`, { message: 'x' }],
      [`/api/admin/incidents/${id}/notes`, { message: 'x' }],
    ];
    for (const [headers, status, code] of [
      [{}, 401, 'unauthorized'],
      [{ cookie: userCookie }, 403, 'forbidden'],
    ] as const) {
      for (const path of ['/api/admin/incidents', `/api/admin/incidents/${id}`]) {
        const res = await h.app.request(path, { headers });
        expect([path, res.status, ((await res.json()) as ErrorBody).error.code]).toEqual([
          path,
          status,
          code,
        ]);
      }
      for (const [path, body] of writes) {
        const res = await post(h.app, path, body, headers);
        expect([path, res.status, ((await res.json()) as ErrorBody).error.code]).toEqual([
          path,
          status,
          code,
        ]);
      }
    }
    expect(await incidentAuditRows(get().db)).toEqual(audit);
  });

  it.each([
    [
      '/api/admin/incidents',
      { ...OPEN, severity: 'sev1' },
      400,
      "severity: 'sev1' is not one of critical, high, medium, low",
    ],
    [
      '/api/admin/incidents',
      { ...OPEN, components: ['cdn'] },
      400,
      "components: 'cdn' is not one of checkout, webhooks, api, web, database",
    ],
    ['/api/admin/incidents', { ...OPEN, priority: 1 }, 400, 'unknown field: priority'],
    ['/api/admin/incidents', '{"severity":', 400, 'the body is not valid JSON'],
    [
      '/api/admin/incidents/ID/updates',
      { status: 'done', message: 'x' },
      400,
      "status: 'done' is not one of investigating, identified, monitoring, resolved",
    ],
    [
      '/api/admin/incidents/ID/updates',
      { status: 'identified' },
      400,
      'message: Invalid input: expected string, received undefined',
    ],
    ['/api/admin/incidents/ID/notes', { message: '  ' }, 400, 'message: required'],
    ['/api/admin/incidents/ID/ack', { by: 'x' }, 400, 'unknown field: by'],
    ['/api/admin/incidents/999999/ack', {}, 404, 'no incident INC-999999'],
    [
      '/api/admin/incidents/abc/notes',
      { message: 'x' },
      400,
      "id: 'abc' is not an incident id (a number such as 12)",
    ],
  ])('POST %s %j answers %i, writing nothing', async (path, body, status, message) => {
    const id = await openOne();
    const audit = await incidentAuditRows(get().db);
    const res = await post(h.app, path.replace('ID', id), body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as ErrorBody).error.message).toBe(message);
    expect(await incidentAuditRows(get().db)).toEqual(audit);
  });

  it('GET of an unknown incident is 404; a second ack and resolving twice are 409 naming why', async () => {
    expect((await h.app.request('/api/admin/incidents/424242', { headers: bearer })).status).toBe(404);
    const id = await openOne();
    expect((await post(h.app, `/api/admin/incidents/${id}/ack`, {})).status).toBe(200);
    const again = await post(h.app, `/api/admin/incidents/${id}/ack`, {});
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error.message).toMatch(
      /already acknowledged by admin-token at /,
    );
    expect((await post(h.app, `/api/admin/incidents/${id}/resolve`, { message: 'ok' })).status).toBe(200);
    const twice = await post(h.app, `/api/admin/incidents/${id}/resolve`, { message: 'ok' });
    expect(twice.status).toBe(409);
    expect(((await twice.json()) as ErrorBody).error).toMatchObject({
      code: 'conflict',
      message: /already resolved/,
    });
  });

  it('an admin runs an incident during read-only and maintenance (emergency shutdown); a user still cannot', async () => {
    for (const name of ['read_only', 'maintenance']) {
      await setFlag({
        ctx: h.t.ctx,
        input: { name, state: 'on', reason: 'shutdown', message: 'down', actor: 'test' },
      });
    }
    const res = await post(h.app, '/api/admin/incidents', OPEN, { cookie: adminCookie });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { incident: { id: string } }).incident.id;
    expect((await post(h.app, `/api/admin/incidents/${id}/notes`, { message: 'still down' })).status).toBe(
      201,
    );
    expect(
      (await post(h.app, `/api/admin/incidents/${id}/notes`, { message: 'x' }, { cookie: userCookie }))
        .status,
    ).toBe(403);
  });
});

describe('admin incidents API over a database that cannot be reached', () => {
  it('answers 503 database_unavailable with Retry-After to reads and writes', async () => {
    const dead = await createUnreachableContext();
    try {
      const app = fullApp(dead.ctx);
      for (const res of [
        await app.request('/api/admin/incidents', { headers: bearer }),
        await app.request('/api/admin/incidents/1', { headers: bearer }),
        await post(app, '/api/admin/incidents', OPEN),
        await post(app, '/api/admin/incidents/1/ack', {}),
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
