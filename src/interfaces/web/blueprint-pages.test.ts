import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { postJson, signUp, TEST_AUTH } from '../../../test/support/accounts.ts';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend, type TestDatabase } from '../../../test/support/databases.ts';
import { resetFlags } from '../../../test/support/flags.ts';
import { fullApp } from '../../../test/support/full-app.ts';
import { userDataChecksums } from '../../../test/support/write-routes.ts';
import { createKysely, type KyselyHandle } from '../../adapters/db/connection.ts';
import { findFreePort } from '../../adapters/db/port-probe.ts';
import { BLUEPRINT_CONTENT_BYTES } from '../../domain/fields.ts';
import { setFlag } from '../../services/flags/set-flag.ts';

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const OTHER_UUID = '5b0c5c3e-8f0a-4c1e-9a53-0d1f3e6a7b21';

describeEachBackend(
  '/blueprints pages: list, create, open, delete within the quota',
  { migrated: true },
  (get) => {
    let t: Awaited<ReturnType<typeof createTestContext>>;
    let app: ReturnType<typeof fullApp>;
    let db: TestDatabase;
    let n = 0;

    beforeAll(async () => {
      db = get();
      t = await createTestContext(db);
      app = fullApp(t.ctx);
      await resetFlags(db.db);
    });
    afterEach(async () => {
      await resetFlags(db.db);
    });
    afterAll(async () => {
      await t?.close();
    });

    /** A new signed-in user: their cookie and id. */
    const person = async () => {
      const email = `bp-page-${n++}-${Math.random().toString(36).slice(2, 7)}@example.com`;
      const { res, cookie } = await signUp(app, email);
      expect(res.status).toBe(200);
      const { user } = (await res.json()) as { user: { id: string } };
      return { cookie, userId: user.id, email };
    };
    const page = (path: string, cookie?: string) =>
      app.request(path, { headers: { ...HTML, ...(cookie ? { cookie } : {}) } });
    const post = (path: string, fields: Record<string, string>, cookie?: string) =>
      app.request(path, {
        method: 'POST',
        headers: {
          ...HTML,
          'content-type': 'application/x-www-form-urlencoded',
          origin: TEST_AUTH.baseUrl,
          ...(cookie ? { cookie } : {}),
        },
        body: new URLSearchParams(fields).toString(),
      });
    const live = async (userId: string) =>
      (
        await db.db
          .selectFrom('blueprints')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('user_id', '=', userId)
          .where('deleted_at', 'is', null)
          .executeTakeFirstOrThrow()
      ).n;
    const createdCount = async (userId: string) =>
      (
        await db.db
          .selectFrom('user_profiles')
          .select('blueprint_creation_count')
          .where('user_id', '=', userId)
          .executeTakeFirstOrThrow()
      ).blueprint_creation_count;
    /** Creates one through the page and returns its id (the newest in the list). */
    const create = async (cookie: string, userId: string, title: string) => {
      const res = await post('/blueprints', { title, content: `steps for ${title}` }, cookie);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/blueprints?done=created');
      const row = await db.db
        .selectFrom('blueprints')
        .select('id')
        .where('user_id', '=', userId)
        .where('title', '=', title)
        .executeTakeFirstOrThrow();
      return row.id;
    };

    it('sends a visitor to sign in from every blueprint page and form, and refuses the ADMIN_TOKEN', async () => {
      const list = await page('/blueprints?offset=20');
      expect(list.status).toBe(303);
      expect(list.headers.get('location')).toBe(
        `/sign-in?next=${encodeURIComponent('/blueprints?offset=20')}`,
      );
      const one = await page(`/blueprints/${OTHER_UUID}`);
      expect(one.headers.get('location')).toBe(
        `/sign-in?next=${encodeURIComponent(`/blueprints/${OTHER_UUID}`)}`,
      );
      for (const path of ['/blueprints', `/blueprints/${OTHER_UUID}/delete`]) {
        const res = await post(path, { title: 'x', content: 'y', confirm: 'DELETE' });
        expect([path, res.status, res.headers.get('location')]).toEqual([path, 303, '/sign-in']);
      }
      const token = await app.request('/blueprints', {
        headers: { ...HTML, authorization: `Bearer ${TEST_AUTH.adminToken}` },
      });
      expect(token.status).toBe(403);
      expect(await token.text()).toContain('the ADMIN_TOKEN has no blueprints');
    });

    it('creates a blueprint from the form, lists it with a link, and opens it with its content', async () => {
      const u = await person();
      const empty = await page('/blueprints', u.cookie);
      expect(empty.status).toBe(200);
      const html = await empty.text();
      expect(html).toContain('id="create-blueprint"');
      expect(html).toContain('You have no blueprints yet.');
      expect(html).toContain('0 of 2 blueprints used in all on the Free plan');
      const id = await create(u.cookie, u.userId, 'Onboarding <plan>');
      const listed = await (await page('/blueprints?done=created', u.cookie)).text();
      expect(listed).toContain('id="notice"');
      expect(listed).toContain('Blueprint created.');
      expect(listed).toContain(`<a href="/blueprints/${id}">Onboarding &lt;plan&gt;</a>`);
      expect(listed).toMatch(/<meter[^>]*max="2"[^>]*value="1"/);
      expect(listed).toContain(`action="/blueprints/${id}/delete"`);
      expect(listed).toContain(`id="confirm-${id}"`);
      expect(listed).toContain('1 of 2 blueprints used');
      const opened = await page(`/blueprints/${id}`, u.cookie);
      expect(opened.status).toBe(200);
      const body = await opened.text();
      expect(body).toContain('steps for Onboarding &lt;plan&gt;');
      expect(body).toContain(`action="/blueprints/${id}/delete"`);
    });

    it('refuses an empty title, a too-long title and too-large content with 400 beside the field; nothing is written', async () => {
      const u = await person();
      const before = await userDataChecksums(db.db);
      const cases: [Record<string, string>, string, string][] = [
        [{ title: '   ', content: 'x' }, 'title', 'title: required'],
        [{ content: 'x' }, 'title', 'title: required'],
        [{ title: 't'.repeat(201), content: 'x' }, 'title', 'title: must be at most 200 characters'],
        [{ title: 'ok', content: '' }, 'content', 'content: required'],
        [
          { title: 'ok', content: 'c'.repeat(BLUEPRINT_CONTENT_BYTES) },
          'content',
          'content: must be at most 256 KiB',
        ],
        [{ title: 'ok', content: 'a\u0000b' }, 'content', 'content: must not contain a NUL character'],
      ];
      for (const [fields, field, message] of cases) {
        const res = await post('/blueprints', fields, u.cookie);
        const html = await res.text();
        expect([message, res.status]).toEqual([message, 400]);
        expect(html).toContain(`id="${field}-error"`);
        expect(html).toContain(message);
        expect(html).toContain(`aria-describedby="${field}-error"`);
      }
      const huge = await post('/blueprints', { title: 'ok', content: 'c'.repeat(1024 * 1024) }, u.cookie);
      expect(huge.status).toBe(413);
      expect(huge.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await userDataChecksums(db.db)).toEqual(before);
      expect(await createdCount(u.userId)).toBe(0);
    });

    it("answers 404 for another user's blueprint and for a malformed id, and deletes nothing of theirs", async () => {
      const owner = await person();
      const other = await person();
      const id = await create(owner.cookie, owner.userId, 'private');
      for (const path of [
        `/blueprints/${id}`,
        `/blueprints/${OTHER_UUID}`,
        '/blueprints/not-a-uuid',
        "/blueprints/1'--",
      ]) {
        const res = await page(path, other.cookie);
        expect([path, res.status]).toEqual([path, 404]);
        expect(await res.text()).not.toContain('private');
      }
      for (const path of [`/blueprints/${id}/delete`, '/blueprints/not-a-uuid/delete']) {
        const res = await post(path, { confirm: 'DELETE' }, other.cookie);
        expect([path, res.status]).toEqual([path, 404]);
      }
      expect(await live(owner.userId)).toBe(1);
    });

    it('refuses a delete without the typed confirmation (400 naming the field), then deletes with it', async () => {
      const u = await person();
      const id = await create(u.cookie, u.userId, 'to delete');
      for (const fields of [{}, { confirm: 'delete' }, { confirm: 'yes' }] as Record<string, string>[]) {
        const res = await post(`/blueprints/${id}/delete`, fields, u.cookie);
        expect(res.status).toBe(400);
        const html = await res.text();
        expect(html).toContain('confirm: type DELETE to delete this blueprint; nothing was deleted');
        expect(html).toContain('id="confirm-error"');
      }
      expect(await live(u.userId)).toBe(1);
      const done = await post(`/blueprints/${id}/delete`, { confirm: 'DELETE' }, u.cookie);
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe('/blueprints?done=deleted');
      expect(await live(u.userId)).toBe(0);
      expect((await page(`/blueprints/${id}`, u.cookie)).status).toBe(404);
      // The creation stays counted: deleting gives no quota back.
      expect(await createdCount(u.userId)).toBe(1);
    });

    it('at the limit: the page names the next tier and links to /pricing; a post is refused 403 and writes nothing', async () => {
      const u = await person();
      await create(u.cookie, u.userId, 'one');
      await create(u.cookie, u.userId, 'two');
      const full = await (await page('/blueprints', u.cookie)).text();
      expect(full).toContain('id="quota-exhausted"');
      expect(full).toContain('The Explorer plan allows 5 blueprints each billing period.');
      expect(full).toContain('href="/pricing" id="upgrade-link"');
      expect(full).toMatch(/<fieldset disabled="">/);
      const before = await userDataChecksums(db.db);
      const refused = await post('/blueprints', { title: 'three', content: 'x' }, u.cookie);
      expect(refused.status).toBe(403);
      const html = await refused.text();
      expect(html).toContain('You have used 2 of 2 blueprints on the Free plan; upgrade at /pricing');
      expect(html).toContain('id="quota-exhausted"');
      expect(html).toContain('value="three"');
      expect(await userDataChecksums(db.db)).toEqual(before);
      expect(await live(u.userId)).toBe(2);
    });

    it('keeps creating while payments are off', async () => {
      const u = await person();
      await setFlag({
        ctx: t.ctx,
        input: { name: 'payments', state: 'off', reason: 'page test', actor: 'test' },
      });
      const html = await (await page('/blueprints', u.cookie)).text();
      expect(html).not.toMatch(/<fieldset disabled/);
      await create(u.cookie, u.userId, 'while payments are off');
      expect(await live(u.userId)).toBe(1);
    });

    for (const mode of ['maintenance', 'read_only'] as const) {
      it(`${mode}: banner and disabled forms; a create or delete post answers the HTML 503 page and writes nothing`, async () => {
        const u = await person();
        const id = await create(u.cookie, u.userId, `before ${mode}`);
        await setFlag({
          ctx: t.ctx,
          input: {
            name: mode,
            state: 'on',
            message: 'page test window',
            reason: 'page test',
            actor: 'test',
          },
        });
        for (const path of ['/blueprints', `/blueprints/${id}`]) {
          const html = await (await page(path, u.cookie)).text();
          expect(html).toContain('id="mode-banner"');
          expect(html).toMatch(/<fieldset disabled=""/);
        }
        const before = await userDataChecksums(db.db);
        for (const [path, fields] of [
          ['/blueprints', { title: 'during', content: 'x' }],
          [`/blueprints/${id}/delete`, { confirm: 'DELETE' }],
        ] as const) {
          const res = await post(path, fields, u.cookie);
          expect([path, res.status]).toEqual([path, 503]);
          expect(res.headers.get('content-type')).toMatch(/^text\/html/);
          expect(res.headers.get('retry-after')).not.toBeNull();
          expect(await res.text()).toContain(mode === 'maintenance' ? 'under maintenance' : 'read-only');
        }
        expect(await userDataChecksums(db.db)).toEqual(before);
      });
    }

    it('pages the list twenty at a time with rel=next and rel=prev links', async () => {
      const u = await person();
      await db.db
        .updateTable('user_profiles')
        .set({ subscription_tier: 'developer' })
        .where('user_id', '=', u.userId)
        .execute();
      for (let i = 0; i < 21; i++) await create(u.cookie, u.userId, `bp ${String(i).padStart(2, '0')}`);
      const items = (html: string) =>
        html.split('id="blueprint-list"')[1]?.split('</ul>')[0]?.match(/<li>/g)?.length;
      const first = await (await page('/blueprints', u.cookie)).text();
      expect(items(first)).toBe(20);
      expect(first).toContain('<a rel="next" href="/blueprints?offset=20">');
      expect(first).not.toContain('rel="prev"');
      const second = await (await page('/blueprints?offset=20', u.cookie)).text();
      expect(items(second)).toBe(1);
      expect(second).toContain('bp 00');
      expect(second).toContain('<a rel="prev" href="/blueprints">');
      expect((await page('/blueprints?offset=-1', u.cookie)).status).toBe(400);
    });

    it('answers the HTML 503 page, not a crash, when the database is down', async () => {
      const u = await person();
      const url = `postgresql://polaris@127.0.0.1:${await findFreePort()}/none`;
      const handle: KyselyHandle = createKysely(url, { max: 2 });
      const dead = await createTestContext({
        ...handle,
        url,
        backend: 'postgres',
        close: async () => {},
      } as TestDatabase);
      try {
        const deadApp = fullApp(dead.ctx);
        for (const res of [
          await deadApp.request('/blueprints', { headers: { ...HTML, cookie: u.cookie } }),
          await deadApp.request(`/blueprints/${OTHER_UUID}`, { headers: { ...HTML, cookie: u.cookie } }),
          await deadApp.request('/blueprints', {
            method: 'POST',
            headers: {
              ...HTML,
              cookie: u.cookie,
              origin: TEST_AUTH.baseUrl,
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: 'title=x&content=y',
          }),
        ]) {
          expect(res.status).toBe(503);
          expect(res.headers.get('content-type')).toMatch(/^text\/html/);
          expect(res.headers.get('retry-after')).not.toBeNull();
        }
      } finally {
        await dead.close();
        await handle.db.destroy();
      }
      expect(await createdCount(u.userId)).toBe(0);
    });

    it('creates through the same service as the API: the JSON API sees the page-made blueprint and usage', async () => {
      const u = await person();
      const id = await create(u.cookie, u.userId, 'shared');
      const api = await app.request(`/api/blueprints/${id}`, { headers: { cookie: u.cookie } });
      expect(await api.json()).toMatchObject({ id, title: 'shared', content: 'steps for shared' });
      const usage = await app.request('/api/usage', { headers: { cookie: u.cookie } });
      expect(await usage.json()).toMatchObject({ created: 1, remaining: 1 });
      expect(
        (await postJson(app, '/api/blueprints', { title: 'api', content: { a: 1 } }, u.cookie)).status,
      ).toBe(201);
      expect(await (await page('/blueprints', u.cookie)).text()).toContain('id="quota-exhausted"');
    });
  },
);
