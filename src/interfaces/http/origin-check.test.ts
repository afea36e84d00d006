import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, TEST_AUTH } from '../../../test/support/accounts.ts';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { fullApp } from '../../../test/support/full-app.ts';

const EVIL = 'https://evil.example';

describeEachBackend(
  'CSRF: cookie-authenticated writes under /api come from PUBLIC_BASE_URL',
  { migrated: true },
  (get) => {
    let t: Awaited<ReturnType<typeof createTestContext>>;
    let app: ReturnType<typeof fullApp>;
    let cookie: string;
    const blueprints = async () =>
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM blueprints b JOIN user_profiles p ON p.user_id = b.user_id
        WHERE p.email = 'csrf-victim@example.com'`.execute(get().db)
      ).rows[0]!.n;
    const create = (headers: Record<string, string>) =>
      app.request('/api/blueprints', {
        method: 'POST',
        headers: { cookie, 'content-type': 'text/plain', ...headers },
        body: JSON.stringify({ title: 'planted', content: { x: 1 } }),
      });

    beforeAll(async () => {
      t = await createTestContext(get());
      app = fullApp(t.ctx);
      ({ cookie } = await signUp(app, 'csrf-victim@example.com'));
    });
    afterAll(() => t.close());

    it('refuses a cross-origin text/plain POST carrying the session cookie with 403, and writes nothing', async () => {
      const attempts: Record<string, string>[] = [
        { origin: EVIL },
        { origin: 'null' },
        { referer: `${EVIL}/page` },
        {},
      ];
      for (const headers of attempts) {
        const res = await create(headers);
        expect(res.status, JSON.stringify(headers)).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      }
      expect(await blueprints()).toBe(0);
    });

    it("refuses a cross-origin form post to a page with the session cookie, as a browser's HTML 403 page", async () => {
      const res = await app.request('/status/subscribe', {
        method: 'POST',
        headers: {
          cookie,
          origin: EVIL,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'email=csrf-victim%40example.com',
      });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('cross-origin request refused');
      const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM status_subscriptions`.execute(
        get().db,
      );
      expect(rows.rows[0]!.n).toBe(0);
    });

    it('refuses a cross-origin DELETE, and accepts the same writes from our own origin (Origin or Referer)', async () => {
      const made = await create({ origin: TEST_AUTH.baseUrl });
      expect(made.status).toBe(201);
      const { id } = (await made.json()) as { id: string };
      const del = (headers: Record<string, string>) =>
        app.request(`/api/blueprints/${id}`, { method: 'DELETE', headers: { cookie, ...headers } });
      expect((await del({ origin: EVIL })).status).toBe(403);
      expect(await blueprints()).toBe(1);
      expect((await del({ referer: `${TEST_AUTH.baseUrl}/blueprints` })).status).toBe(200);
      // A page served from the host the request went to is same-origin too (PUBLIC_BASE_URL aside).
      const own = await app.request('http://127.0.0.1:4321/api/blueprints', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', origin: 'http://127.0.0.1:4321' },
        body: JSON.stringify({ title: 'own host', content: {} }),
      });
      expect(own.status).toBe(201);
    });

    it('does not apply to bearer-token requests or to webhook deliveries', async () => {
      const bearer = await app.request('/api/subscriptions/cancel', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TEST_AUTH.adminToken}`,
          origin: EVIL,
          cookie,
          'content-type': 'application/json',
        },
        body: '{}',
      });
      expect(((await bearer.json()) as { error?: { code: string } }).error?.code).not.toBe('forbidden');
      const webhook = await app.request('/api/webhooks/razorpay', {
        method: 'POST',
        headers: { origin: EVIL, cookie, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(webhook.status).toBe(400);
    });
  },
);
