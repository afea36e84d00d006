import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely, type KyselyHandle } from '../src/adapters/db/connection.ts';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { postJson, signUp, TEST_AUTH } from './support/accounts.ts';
import { createTestContext } from './support/context.ts';
import { describeEachBackend, migrateTestDatabase, type TestDatabase } from './support/databases.ts';
import { fullApp } from './support/full-app.ts';
import { type PostgresServer, startPostgres } from './support/postgres-server.ts';

type App = ReturnType<typeof fullApp>;
type Harness = Awaited<ReturnType<typeof createTestContext>>;
const PASSWORD = 'correct-horse-battery';

/** The full app over a Kysely handle, wired like production (same auth secret, so cookies carry over). */
async function appOver(handle: KyselyHandle, url: string): Promise<{ app: App; h: Harness }> {
  const database = { ...handle, url, backend: 'postgres', close: async () => {} } as TestDatabase;
  const h = await createTestContext(database);
  return { app: fullApp(h.ctx), h };
}

/** Asserts the 503 of DESIGN §11 for a database outage: our JSON shape, a request id, Retry-After. */
async function expectDatabaseUnavailable(res: Response, what: string) {
  expect(res.status, what).toBe(503);
  expect(Number(res.headers.get('retry-after')), what).toBeGreaterThan(0);
  const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error.code, what).toBe('database_unavailable');
  expect(body.error.message, what).not.toBe('');
  expect(body.error.requestId, what).toBe(res.headers.get('x-request-id'));
}

/** The same outage as a browser sees it on a page or a form post: an HTML 503 page, Retry-After, the request id. */
async function expectPageUnavailable(res: Response, what: string) {
  expect(res.status, what).toBe(503);
  expect(Number(res.headers.get('retry-after')), what).toBeGreaterThan(0);
  expect(res.headers.get('content-type'), what).toMatch(/^text\/html/);
  const body = await res.text();
  expect(body, what).toContain('Temporarily unavailable');
  expect(body, what).toContain(res.headers.get('x-request-id')!);
}

/** The pages and their forms, as a signed-in browser asks for them. */
async function expectEveryPageUnavailable(app: App, cookie: string) {
  const html = { accept: 'text/html,application/xhtml+xml', cookie };
  const form = { ...html, origin: TEST_AUTH.baseUrl, 'content-type': 'application/x-www-form-urlencoded' };
  for (const path of ['/pricing', '/account', '/blueprints', '/admin', '/admin/webhooks'])
    await expectPageUnavailable(await app.request(path, { headers: html }), `GET ${path}`);
  for (const path of ['/blueprints', '/account/cancel', '/sign-out'])
    await expectPageUnavailable(
      await app.request(path, { method: 'POST', headers: form, body: 'title=x&when=now&confirm=CANCEL' }),
      `POST ${path}`,
    );
}

/** Every kind of route that touches the database: signed-in, ADMIN_TOKEN, auth, webhook status, pages. */
async function expectEveryRouteUnavailable(app: App, cookie: string, email: string) {
  const bearer = { authorization: `Bearer ${TEST_AUTH.adminToken}` };
  const origin = { origin: TEST_AUTH.baseUrl };
  const cases: [string, () => Response | Promise<Response>][] = [
    ['signed-in GET /api/usage', () => app.request('/api/usage', { headers: { cookie } })],
    [
      'ADMIN_TOKEN on GET /api/subscriptions/current',
      () => app.request('/api/subscriptions/current', { headers: bearer }),
    ],
    ['sign-in', () => postJson(app, '/api/auth/sign-in/email', { email, password: PASSWORD })],
    [
      'sign-up',
      () =>
        postJson(app, '/api/auth/sign-up/email', { email: `new-${email}`, password: PASSWORD, name: 'N' }),
    ],
    ['get-session', () => app.request('/api/auth/get-session', { headers: { cookie } })],
    [
      'sign-out',
      () =>
        app.request('/api/auth/sign-out', {
          method: 'POST',
          headers: { cookie, ...origin, 'content-type': 'application/json' },
          body: '{}',
        }),
    ],
    ['update-user', () => postJson(app, '/api/auth/update-user', { name: 'Renamed' }, cookie)],
    [
      'reset-password',
      () => postJson(app, '/api/auth/reset-password', { token: 'x'.repeat(24), newPassword: PASSWORD }),
    ],
    [
      'GET /reset-password (the page reads nothing, but the session does)',
      () => app.request('/reset-password?token=x', { headers: { cookie } }),
    ],
    ['GET /api/webhooks/razorpay', () => app.request('/api/webhooks/razorpay')],
    ['GET /pricing, signed in', () => app.request('/pricing', { headers: { cookie } })],
    ['GET /sign-in (the page reads the modes)', () => app.request('/sign-in')],
    [
      'POST /sign-in (the form)',
      () =>
        app.request('/sign-in', {
          method: 'POST',
          headers: { ...origin, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ email, password: PASSWORD }).toString(),
        }),
    ],
    ['GET /api/modes', () => app.request('/api/modes')],
  ];
  for (const [what, send] of cases) await expectDatabaseUnavailable(await send(), what);
  await expectEveryPageUnavailable(app, cookie);
}

describeEachBackend('HTTP over a database that cannot be reached', { migrated: true }, (get) => {
  let live: Harness;
  let dead: { app: App; h: Harness; handle: KyselyHandle };
  let cookie: string;
  const email = `outage-${Math.random().toString(36).slice(2, 8)}@example.com`;

  beforeAll(async () => {
    live = await createTestContext(get());
    const signed = await signUp(fullApp(live.ctx), email, PASSWORD);
    expect(signed.res.status).toBe(200);
    cookie = signed.cookie;
    const url = `postgresql://polaris@127.0.0.1:${await findFreePort()}/none`;
    const handle = createKysely(url, { max: 2 });
    dead = { ...(await appOver(handle, url)), handle };
  });
  afterAll(async () => {
    await dead?.h.close();
    await dead?.handle.db.destroy();
    await live?.close();
  });

  it('answers 503 database_unavailable with Retry-After on every kind of route, never an empty 500', async () => {
    await expectEveryRouteUnavailable(dead.app, cookie, email);
  });

  it('reports the outage from the accounts adapter itself, where better-auth would answer sign-out 200', async () => {
    const request = new Request(`${TEST_AUTH.baseUrl}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie, origin: TEST_AUTH.baseUrl, 'content-type': 'application/json' },
      body: '{}',
    });
    const error = await dead.h.ctx.accounts.handle(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'database_unavailable' });
  });

  it('still answers health and anonymous pages that need no database', async () => {
    expect((await dead.app.request('/api/health')).status).toBe(200);
    expect((await dead.app.request('/api/plans')).status).toBe(200);
  });
});

describe('HTTP over a PostgreSQL that stopped, and over an exhausted pool', () => {
  let server: PostgresServer;
  let handle: KyselyHandle;
  let h: Harness;
  let app: App;
  const email = 'stopped@example.com';

  beforeAll(async () => {
    server = await startPostgres({ maxConnections: 30 });
    handle = createKysely(server.url, { max: 1 });
    await migrateTestDatabase(handle.db);
    ({ app, h } = await appOver(handle, server.url));
  });
  afterAll(async () => {
    await h?.close();
    await handle?.db.destroy();
    server?.stop();
  });

  it('answers 503 to sign-in and sign-up while the only pooled connection is held past the connect timeout', async () => {
    expect((await signUp(app, email, PASSWORD)).res.status).toBe(200);
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const holding = handle.db.transaction().execute(async () => held);
    try {
      const res = await postJson(app, '/api/auth/sign-in/email', { email, password: PASSWORD });
      await expectDatabaseUnavailable(res, 'sign-in with the pool exhausted');
    } finally {
      release();
      await holding;
    }
    expect((await postJson(app, '/api/auth/sign-in/email', { email, password: PASSWORD })).status).toBe(200);
  });

  it('answers 503 on every kind of route once the server is stopped', async () => {
    const { cookie } = await signUp(app, 'before-stop@example.com', PASSWORD);
    expect(cookie).not.toBe('');
    // Connections open when the server dies are the outage work's; this app reconnects from scratch.
    await handle.db.destroy();
    server.stop();
    handle = createKysely(server.url, { max: 1 });
    ({ app } = await appOver(handle, server.url));
    await expectEveryRouteUnavailable(app, cookie, 'before-stop@example.com');
  });
});
