import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signUp } from '../../../test/support/accounts.ts';
import { createTestContext, createUnreachableContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { flagAuditRows, resetFlags, storedFlags } from '../../../test/support/flags.ts';
import { getPage, postForm } from '../../../test/support/forms.ts';
import { fullApp } from '../../../test/support/full-app.ts';
import { resetIncidents } from '../../../test/support/incidents.ts';

type App = ReturnType<typeof fullApp>;
const PAGES = ['/admin', '/admin/flags', '/admin/webhooks'];

describeEachBackend('admin console: overview and flags pages', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let app: App;
  let user = '';
  let admin = '';
  const flagPost = (name: string, fields: Record<string, string>, cookie = admin) =>
    postForm(app, `/admin/flags/${name}`, fields, { cookie });
  const unchanged = async (run: () => Promise<void>) => {
    const before = { flags: await storedFlags(get().db), audit: await flagAuditRows(get().db) };
    await run();
    expect({ flags: await storedFlags(get().db), audit: await flagAuditRows(get().db) }).toEqual(before);
  };
  const expectPage = async (res: Response, status: number, text: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain(text);
  };

  beforeAll(async () => {
    t = await createTestContext(get());
    app = fullApp(t.ctx);
    user = (await signUp(app, 'ops-user@example.com')).cookie;
    admin = (await signUp(app, 'ops-admin@example.com')).cookie;
    await get()
      .db.updateTable('user_profiles')
      .set({ role: 'admin' })
      .where('email', '=', 'ops-admin@example.com')
      .execute();
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetFlags(get().db);
    await resetIncidents(get().db);
  });

  it('sends a visitor to sign-in and answers a user 403 on every page and form, changing nothing', async () => {
    for (const path of PAGES) {
      const anonymous = await getPage(app, path);
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
      await expectPage(await getPage(app, path, { cookie: user }), 403, 'admins only');
    }
    await unchanged(async () => {
      const body = { state: 'off', reason: 'x', confirm: 'yes' };
      await expectPage(await flagPost('payments', body, user), 403, 'admins only');
      const shutdown = { reason: 'x', confirm: 'SHUTDOWN' };
      const res = await postForm(app, '/admin/flags/emergency/shutdown', shutdown, { cookie: user });
      await expectPage(res, 403, 'admins only');
      const anonymous = await postForm(app, '/admin/flags/payments', body);
      expect(anonymous.status).toBe(303);
    });
  });

  it('shows the overview figures under the ids the journeys use', async () => {
    const res = await getPage(app, '/admin', { cookie: admin });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const id of [
      'stat-success-15m',
      'stat-success-24h',
      'stat-backlog',
      'stat-oldest-pending',
      'stat-failed-events',
      'admin-flags',
      'open-incidents',
      'last-verify',
      'last-drill',
    ]) {
      expect(html, id).toContain(`id="${id}"`);
    }
    expect(html).toMatch(/id="stat-success-15m">no payments</);
    expect(html).toMatch(/id="stat-backlog">0</);
    expect(html).toContain('None open.');
  });

  it('turns payments off with a reason and an expiry, then on, audited as the admin', async () => {
    const off = await flagPost('payments', {
      state: 'off',
      reason: 'fraud spike',
      expires: '30m',
      confirm: 'yes',
    });
    expect(off.status).toBe(303);
    expect(off.headers.get('location')).toBe('/admin/flags?done=payments-off');
    expect((await storedFlags(get().db)).payments).toMatchObject({
      state: 'off',
      reason: 'fraud spike',
      actor: 'ops-admin@example.com',
    });
    expect((await storedFlags(get().db)).payments?.expires_at).not.toBeNull();
    await expectPage(
      await getPage(app, '/admin/flags?done=payments-off', { cookie: admin }),
      200,
      'payments is now off.',
    );
    const on = await flagPost('payments', { state: 'on', reason: 'all clear', confirm: 'yes' });
    expect(on.headers.get('location')).toBe('/admin/flags?done=payments-on');
    expect((await flagAuditRows(get().db)).map((r) => [r.actor, r.action, r.target, r.reason])).toEqual([
      ['ops-admin@example.com', 'flag.set', 'payments', 'fraud spike'],
      ['ops-admin@example.com', 'flag.set', 'payments', 'all clear'],
    ]);
  });

  it.each([
    ['payments', { state: 'off', confirm: 'yes' }, 400, 'reason: required'],
    ['payments', { state: 'off', reason: 'x' }, 400, 'confirm: tick the box'],
    ['payments', { state: 'off', reason: 'x', confirm: 'no' }, 400, 'confirm: tick the box'],
    ['payments', { state: 'off', reason: 'x', expires: 'soon', confirm: 'yes' }, 400, 'expires: cannot read'],
    [
      'payments',
      { state: 'on', reason: 'x', expires: '30m', confirm: 'yes' },
      400,
      'only a mode being turned on',
    ],
    ['payments', { state: 'maybe', reason: 'x', confirm: 'yes' }, 400, 'state: must be on or off'],
    ['payments', { reason: 'x', confirm: 'yes' }, 400, 'state: '],
    ['maintenance', { state: 'on', reason: 'x', confirm: 'yes' }, 400, 'message: required'],
    ['nope', { state: 'on', reason: 'x', confirm: 'yes' }, 404, 'unknown flag'],
  ] as const)('refuses %s %j with %i, changing nothing', async (name, fields, status, message) => {
    await unchanged(async () => expectPage(await flagPost(name, fields), status, message));
  });

  it('refuses an emergency form with a wrong typed confirmation or no reason, changing nothing', async () => {
    await unchanged(async () => {
      for (const [kind, fields, message] of [
        ['shutdown', { reason: 'x', confirm: 'shutdown' }, 'confirm: type SHUTDOWN'],
        ['shutdown', { reason: 'x' }, 'confirm: type SHUTDOWN'],
        ['shutdown', { confirm: 'SHUTDOWN' }, 'reason: required'],
        ['lift', { reason: 'x', confirm: 'SHUTDOWN' }, 'confirm: type LIFT'],
      ] as const) {
        const res = await postForm(app, `/admin/flags/emergency/${kind}`, fields, { cookie: admin });
        await expectPage(res, 400, message);
      }
    });
    expect(await get().db.selectFrom('incidents').select('id').execute()).toEqual([]);
  });

  it('shuts everything down and lifts it from the page, as the CLI does, staying usable meanwhile', async () => {
    const res = await postForm(
      app,
      '/admin/flags/emergency/shutdown',
      { reason: 'database corruption', message: 'Back soon', confirm: 'SHUTDOWN' },
      { cookie: admin },
    );
    expect(res.headers.get('location')).toBe('/admin/flags?done=shutdown');
    const flags = await storedFlags(get().db);
    expect([flags.payments?.state, flags.maintenance?.state, flags.read_only?.state]).toEqual([
      'off',
      'on',
      'on',
    ]);
    const incident = await get()
      .db.selectFrom('incidents')
      .select(['severity', 'status'])
      .executeTakeFirstOrThrow();
    expect(incident).toEqual({ severity: 'critical', status: 'investigating' });
    // The console keeps working for the admin during the shutdown it started.
    for (const path of PAGES)
      await expectPage(await getPage(app, path, { cookie: admin }), 200, 'id="banner-maintenance"');
    const lift = await postForm(
      app,
      '/admin/flags/emergency/lift',
      { reason: 'restored', confirm: 'LIFT' },
      { cookie: admin },
    );
    expect(lift.headers.get('location')).toBe('/admin/flags?done=lift');
    const after = await storedFlags(get().db);
    expect([after.payments?.state, after.maintenance?.state, after.read_only?.state]).toEqual([
      'on',
      'off',
      'off',
    ]);
    expect((await flagAuditRows(get().db)).map((r) => [r.actor, r.action])).toEqual([
      ['ops-admin@example.com', 'emergency.shutdown'],
      ['ops-admin@example.com', 'flag.set'],
      ['ops-admin@example.com', 'flag.set'],
      ['ops-admin@example.com', 'flag.set'],
    ]);
  });
});

describe('admin console pages with the database down', () => {
  it('answers an HTML 503 page, never a crash, on every page and form', async () => {
    const dead = await createUnreachableContext();
    try {
      const app = fullApp(dead.ctx);
      for (const res of [
        ...(await Promise.all(PAGES.map((p) => getPage(app, p, { bearer: true })))),
        await postForm(
          app,
          '/admin/flags/payments',
          { state: 'off', reason: 'x', confirm: 'yes' },
          { bearer: true },
        ),
      ]) {
        expect(res.status).toBe(503);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await res.text()).toContain('Temporarily unavailable');
      }
    } finally {
      await dead.close();
    }
  });
});
