import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessageOf, getPage, postForm } from '../../../test/support/admin-forms.ts';
import { createUnreachableContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { fullApp } from '../../../test/support/full-app.ts';
import { appOverSuiteDatabase, signedUp } from '../../../test/support/security.ts';

describeEachBackend('admin audit and database pages', { migrated: true }, (get) => {
  const h = appOverSuiteDatabase(get);
  let userCookie = '';
  let dir = '';
  let app: ReturnType<typeof fullApp>;

  beforeAll(async () => {
    userCookie = (await signedUp(h.app, get().db, 'web-db-user@example.com')).cookie;
    dir = mkdtempSync(join(tmpdir(), 'polaris-admin-db-'));
    app = fullApp({ ...h.t.ctx, backups: { ...h.t.ctx.backups, dir } });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists audit rows filtered by actor, action and since, paged 50 at a time', async () => {
    await get()
      .db.insertInto('audit_log')
      .values(
        Array.from({ length: 55 }, (_, i) => ({
          actor: 'pager@example.com',
          action: i % 2 === 0 ? 'user.disable' : 'user.enable',
          target: `t-${i}`,
          details: '{}',
        })),
      )
      .execute();
    const first = await (await getPage(app, '/admin/audit?actor=pager@example.com&since=1h')).text();
    expect(first.match(/<tr data-action=/g)).toHaveLength(50);
    const next = /<a href="([^"]+)" rel="next">/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toMatch(/before=\d+/);
    const second = await (await getPage(app, next!)).text();
    expect(second.match(/<tr data-action=/g)).toHaveLength(5);
    expect(second).not.toContain('rel="next"');
    const family = await (
      await getPage(app, '/admin/audit?actor=pager@example.com&action=user.enable')
    ).text();
    expect(family.match(/<tr data-action="user.enable"/g)).toHaveLength(27);
    expect(family).not.toContain('data-action="user.disable"');
    const none = await (await getPage(app, '/admin/audit?actor=nobody')).text();
    expect(none).toContain('No audit row matches.');
  });

  it.each([
    [
      'since=yesterday',
      '--since "yesterday": expected a window like 30m, 24h or 7d, or a past ISO date like 2026-11-29T08:00Z',
    ],
    ['since=0m', '--since 0m: give a window between 1m and 366d'],
    [
      'action=DROP%20TABLE',
      '--action "DROP TABLE": expected an action like user.disable, or a family like user',
    ],
    ['before=abc', 'before: Invalid input: expected number, received NaN'],
  ])('a bad audit filter %s answers a 400 page naming it', async (query, message) => {
    const res = await getPage(app, `/admin/audit?${query}`);
    expect([res.status, await errorMessageOf(res)]).toEqual([400, message]);
  });

  it('runs a verify and shows every check, takes a backup into the folder and lists it', async () => {
    const verified = await postForm(app, '/admin/db/verify', {});
    expect(verified.status).toBe(200);
    const html = await verified.text();
    expect(html).toMatch(/<p id="verify-result" role="status" class="notice(?: error)?">db verify: /);
    expect(html.match(/<tr data-check=/g)?.length).toBeGreaterThan(5);
    const taken = await postForm(app, '/admin/db/backup', { label: 'before upgrade' });
    expect([taken.status, taken.headers.get('location')]).toEqual([303, '/admin/db?done=backup']);
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('-before-upgrade.json'))).toHaveLength(1);
    const page = await (await getPage(app, '/admin/db?done=backup')).text();
    expect(page).toContain('Backup taken');
    expect(page).toContain(files.find((f) => f.endsWith('.json'))!.replace('.json', ''));
    expect(page).toContain('No drill yet.');
  });

  it('without a backup folder the page says so and a backup answers 400, writing no file', async () => {
    const page = await (await getPage(h.app, '/admin/db')).text();
    expect(page).toContain('no backup folder: set BACKUP_DIR or pass --to');
    const res = await postForm(h.app, '/admin/db/backup', {});
    expect([res.status, await errorMessageOf(res)]).toEqual([
      400,
      'no backup folder: set BACKUP_DIR or pass --to',
    ]);
    const long = await postForm(app, '/admin/db/backup', { label: 'x'.repeat(41) });
    expect(long.status).toBe(400);
    expect(await errorMessageOf(long)).toMatch(/^label: /);
  });

  it('sends a visitor to sign in and refuses a user with a 403 page', async () => {
    const before = readdirSync(dir).length;
    for (const path of ['/admin/audit', '/admin/db']) {
      expect((await getPage(app, path, {})).headers.get('location')).toBe(
        `/sign-in?next=${encodeURIComponent(path)}`,
      );
      expect((await getPage(app, path, { cookie: userCookie })).status).toBe(403);
    }
    for (const path of ['/admin/db/verify', '/admin/db/backup']) {
      const res = await postForm(app, path, {}, { cookie: userCookie });
      expect([path, res.status, await errorMessageOf(res)]).toEqual([path, 403, 'admins only']);
    }
    expect(readdirSync(dir)).toHaveLength(before);
  });
});

describe('admin audit and database pages over a database that cannot be reached', () => {
  let dead: Awaited<ReturnType<typeof createUnreachableContext>>;
  beforeAll(async () => {
    dead = await createUnreachableContext();
  });
  afterAll(() => dead?.close());

  it('answers an HTML 503 page, never a crash', async () => {
    const app = fullApp(dead.ctx);
    for (const res of [
      await getPage(app, '/admin/audit'),
      await getPage(app, '/admin/db'),
      await postForm(app, '/admin/db/verify', {}),
    ]) {
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('Temporarily unavailable');
    }
  });
});
