import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_BEARER, errorMessageOf, getPage, postForm } from '../../../test/support/admin-forms.ts';
import { createUnreachableContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetFlags } from '../../../test/support/flags.ts';
import { fullApp } from '../../../test/support/full-app.ts';
import { incidentAuditRows, resetIncidents } from '../../../test/support/incidents.ts';
import { appOverSuiteDatabase, signedUp } from '../../../test/support/security.ts';
import { setFlag } from '../../services/flags/set-flag.ts';

const OPEN: [string, string][] = [
  ['severity', 'high'],
  ['type', 'payment.webhooks'],
  ['title', 'Webhooks failing'],
  ['components', 'webhooks'],
  ['components', 'api'],
];

describeEachBackend('admin incident pages', { migrated: true }, (get) => {
  const h = appOverSuiteDatabase(get);
  let userCookie = '';
  let adminCookie = '';

  beforeAll(async () => {
    userCookie = (await signedUp(h.app, get().db, 'web-inc-user@example.com')).cookie;
    adminCookie = (await signedUp(h.app, get().db, 'web-inc-admin@example.com')).cookie;
    await get()
      .db.updateTable('user_profiles')
      .set({ role: 'admin' })
      .where('email', '=', 'web-inc-admin@example.com')
      .execute();
  });
  beforeEach(async () => {
    await resetIncidents(get().db);
    await resetFlags(get().db);
  });
  const openOne = async (headers: Record<string, string> = ADMIN_BEARER) => {
    const res = await postForm(h.app, '/admin/incidents', OPEN, headers);
    expect(res.status).toBe(303);
    const at = res.headers.get('location') ?? '';
    expect(at).toMatch(/^\/admin\/incidents\/\d+\?done=opened$/);
    return at.split('/')[3]!.split('?')[0]!;
  };

  it('opens, updates and resolves an incident, shows its report, audited as the admin like the CLI', async () => {
    const id = await openOne({ cookie: adminCookie });
    const page = await getPage(h.app, `/admin/incidents/${id}?done=opened`, { cookie: adminCookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Incident opened.');
    expect(html).toContain('webhooks, api');
    const update = await postForm(
      h.app,
      `/admin/incidents/${id}/updates`,
      { status: 'identified', message: 'Secret rotated', public: 'on' },
      { cookie: adminCookie },
    );
    expect([update.status, update.headers.get('location')]).toEqual([
      303,
      `/admin/incidents/${id}?done=updated`,
    ]);
    const resolve = await postForm(h.app, `/admin/incidents/${id}/resolve`, { message: 'Flowing again' });
    expect([resolve.status, resolve.headers.get('location')]).toEqual([
      303,
      `/admin/incidents/${id}?done=resolved`,
    ]);
    const resolved = await (await getPage(h.app, `/admin/incidents/${id}`)).text();
    expect(resolved).toContain('<dd id="incident-status">resolved</dd>');
    expect(resolved).not.toContain('id="update-incident"');
    const list = await (await getPage(h.app, '/admin/incidents')).text();
    expect(list).toContain('<p id="open-incidents-list">No open incident.</p>');
    expect(list).toContain(`/admin/incidents/${id}`);
    const report = await getPage(h.app, `/admin/incidents/${id}/report`);
    expect(report.status).toBe(200);
    const text = await report.text();
    expect(text).toContain('# Incident Report');
    expect(text).toContain(`**Incident ID**: INC-${id}`);
    const rows = await incidentAuditRows(get().db);
    expect(rows.map((r) => [r.actor, r.action])).toEqual([
      ['web-inc-admin@example.com', 'incident.open'],
      ['web-inc-admin@example.com', 'incident.update'],
      ['admin-token', 'incident.resolve'],
    ]);
    expect(rows[1]?.details).toMatchObject({ to: 'identified', public: true });
  });

  it.each([
    [
      '/admin/incidents',
      [
        ['type', 'payment'],
        ['title', 'x'],
      ],
      'severity: required; one of critical, high, medium, low',
    ],
    [
      '/admin/incidents',
      [
        ['severity', 'sev1'],
        ['type', 'payment'],
        ['title', 'x'],
      ],
      "severity: 'sev1' is not one of critical, high, medium, low",
    ],
    [
      '/admin/incidents',
      [
        ['severity', 'low'],
        ['type', 'payment'],
        ['title', ' '],
      ],
      'title: required',
    ],
    [
      '/admin/incidents',
      [
        ['severity', 'low'],
        ['type', 'payment'],
        ['title', 'x'],
        ['components', 'cdn'],
      ],
      "components: 'cdn' is not one of checkout, webhooks, api, web, database",
    ],
    ['/admin/incidents/ID/updates', [['status', 'identified']], 'message: required'],
    [
      '/admin/incidents/ID/updates',
      [
        ['status', 'done'],
        ['message', 'x'],
      ],
      "status: 'done' is not one of investigating, identified, monitoring, resolved",
    ],
    [
      '/admin/incidents/ID/updates',
      [
        ['status', 'identified'],
        ['message', 'x'],
        ['public', 'yes'],
      ],
      'public: Invalid input: expected "on"',
    ],
    ['/admin/incidents/ID/resolve', [['message', '']], 'message: required'],
    [
      '/admin/incidents/abc/resolve',
      [['message', 'x']],
      "id: 'abc' is not an incident id (a number such as 12)",
    ],
  ] as [string, [string, string][], string][])(
    'POST %s %j answers 400 naming the field, writing nothing',
    async (path, fields, message) => {
      const id = await openOne();
      const audit = await incidentAuditRows(get().db);
      const res = await postForm(h.app, path.replace('ID', id), fields);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await errorMessageOf(res)).toBe(message);
      expect(await incidentAuditRows(get().db)).toEqual(audit);
    },
  );

  it('an unknown incident is a 404 page on every route; resolving twice is a 409 page', async () => {
    for (const res of [
      await getPage(h.app, '/admin/incidents/424242'),
      await getPage(h.app, '/admin/incidents/424242/report'),
      await postForm(h.app, '/admin/incidents/424242/updates', { status: 'identified', message: 'x' }),
      await postForm(h.app, '/admin/incidents/424242/resolve', { message: 'x' }),
    ]) {
      expect(res.status).toBe(404);
      expect(await errorMessageOf(res)).toBe('no incident INC-424242');
    }
    const id = await openOne();
    expect((await postForm(h.app, `/admin/incidents/${id}/resolve`, { message: 'ok' })).status).toBe(303);
    const twice = await postForm(h.app, `/admin/incidents/${id}/resolve`, { message: 'ok' });
    expect(twice.status).toBe(409);
    expect(await errorMessageOf(twice)).toMatch(/already resolved/);
  });

  it('sends a visitor to sign in and refuses a user with a 403 page on every route, writing nothing', async () => {
    const id = await openOne();
    const audit = await incidentAuditRows(get().db);
    const pages = ['/admin/incidents', `/admin/incidents/${id}`, `/admin/incidents/${id}/report`];
    const forms: [string, Record<string, string>][] = [
      ['/admin/incidents', Object.fromEntries(OPEN)],
      [`/admin/incidents/${id}/updates`, { status: 'identified', message: 'x' }],
      [`/admin/incidents/${id}/resolve`, { message: 'x' }],
    ];
    for (const path of pages) {
      const anonymous = await getPage(h.app, path, {});
      expect([anonymous.status, anonymous.headers.get('location')]).toEqual([
        303,
        `/sign-in?next=${encodeURIComponent(path)}`,
      ]);
      const user = await getPage(h.app, path, { cookie: userCookie });
      expect([path, user.status, await errorMessageOf(user)]).toEqual([path, 403, 'admins only']);
    }
    for (const [path, fields] of forms) {
      expect((await postForm(h.app, path, fields, {})).headers.get('location')).toBe('/sign-in');
      const user = await postForm(h.app, path, fields, { cookie: userCookie });
      expect([path, user.status, await errorMessageOf(user)]).toEqual([path, 403, 'admins only']);
    }
    expect(await incidentAuditRows(get().db)).toEqual(audit);
  });

  it('stays open to admins in maintenance and read-only (an emergency shutdown); a user is still refused', async () => {
    for (const name of ['read_only', 'maintenance']) {
      await setFlag({
        ctx: h.t.ctx,
        input: { name, state: 'on', reason: 'shutdown', message: 'down', actor: 'test' },
      });
    }
    const page = await (await getPage(h.app, '/admin/incidents', { cookie: adminCookie })).text();
    expect(page).toContain('<form method="post" action="/admin/incidents" id="open-incident"><fieldset>');
    const id = await openOne({ cookie: adminCookie });
    const update = await postForm(h.app, `/admin/incidents/${id}/updates`, {
      status: 'monitoring',
      message: 'holding',
    });
    expect(update.status).toBe(303);
    const user = await postForm(h.app, '/admin/incidents', OPEN, { cookie: userCookie });
    expect(user.status).toBe(403);
    expect((await incidentAuditRows(get().db)).map((r) => r.action)).toEqual([
      'incident.open',
      'incident.update',
    ]);
  });
});

describe('admin incident pages over a database that cannot be reached', () => {
  let dead: Awaited<ReturnType<typeof createUnreachableContext>>;
  beforeAll(async () => {
    dead = await createUnreachableContext();
  });
  afterAll(() => dead?.close());

  it('answers an HTML 503 page to reads and forms, never a crash', async () => {
    const app = fullApp(dead.ctx);
    for (const res of [
      await getPage(app, '/admin/incidents'),
      await getPage(app, '/admin/incidents/1'),
      await getPage(app, '/admin/incidents/1/report'),
      await postForm(app, '/admin/incidents', OPEN),
      await postForm(app, '/admin/incidents/1/resolve', { message: 'x' }),
    ]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('Temporarily unavailable');
    }
  });
});
