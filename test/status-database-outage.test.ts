import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely, type KyselyHandle } from '../src/adapters/db/connection.ts';
import { createHttpApp } from '../src/interfaces/http/app.ts';
import { statusRoutes } from '../src/interfaces/http/routes/status.ts';
import { openIncident } from '../src/services/incidents/open-incident.ts';
import { updateIncident } from '../src/services/incidents/update-incident.ts';
import { createStatusCache } from '../src/services/status/status-cache.ts';
import { signUp } from './support/accounts.ts';
import { createTestContext, createUnreachableContext } from './support/context.ts';
import { describeEachBackend, migrateTestDatabase, type TestDatabase } from './support/databases.ts';
import { fullApp } from './support/full-app.ts';
import { resetIncidents } from './support/incidents.ts';
import { type PostgresServer, startPostgres } from './support/postgres-server.ts';
import { waitFor } from './support/wait.ts';

type Harness = Awaited<ReturnType<typeof createTestContext>>;
type App = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

async function publishedIncident(h: Harness) {
  const incident = await openIncident({
    ctx: h.ctx,
    input: {
      severity: 'critical',
      type: 'payment',
      title: 'Checkout down',
      components: 'checkout',
      actor: 't',
    },
  });
  await updateIncident({
    ctx: h.ctx,
    input: {
      id: incident.id,
      status: 'identified',
      message: 'The gateway refuses cards.',
      public: true,
      actor: 't',
    },
  });
}

const isStale = async (app: App, init?: RequestInit) =>
  (await (await app.request('/status', init)).text()).includes('id="stale"');

/** Every public status path answers 200 with the last known state, marked stale. */
async function expectLastKnownState(app: App, init?: RequestInit) {
  const page = await app.request('/status', init);
  expect(page.status).toBe(200);
  expect(page.headers.get('cache-control')).toBe('public, no-cache');
  const html = await page.text();
  expect(html).toContain('<strong>Last known state</strong>, as of');
  expect(html).toContain('The gateway refuses cards.');
  expect(html).toContain('Major System Outage');
  for (const path of ['/api/v2/summary.json', '/api/v2/status.json', '/api/v2/incidents.json']) {
    const res = await app.request(path, init);
    expect(res.status, path).toBe(200);
    const body = (await res.json()) as { stale?: { reason: string; as_of: string } };
    expect(body.stale?.as_of, path).toMatch(/^\d{4}-/);
  }
  const feed = await app.request('/status/feed.atom', init);
  expect(feed.status).toBe(200);
  expect(await feed.text()).toContain('Checkout down');
}

describeEachBackend('the status page over a slow database', { migrated: true }, (get) => {
  let h: Harness;
  let app: App;
  beforeAll(async () => {
    h = await createTestContext(get());
    await resetIncidents(get().db);
    await publishedIncident(h);
    const cache = createStatusCache({ ctx: h.ctx, input: { freshMs: 0, timeoutMs: 1_000 } });
    app = createHttpApp({
      log: h.ctx.log,
      readiness: async () => ({ ok: true, checks: [] }) as never,
      routes: [statusRoutes(h.ctx, cache)],
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('serves the last known state, marked so, while a read waits past the timeout, then the live state again', async () => {
    await waitFor(async () => !(await isStale(app)), 10_000, 'the live state first');
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    // An exclusive lock on incidents makes every status read wait (on PGlite, the only connection is held).
    const locking = get()
      .db.transaction()
      .execute(async (trx) => {
        await sql`LOCK TABLE incidents IN ACCESS EXCLUSIVE MODE`.execute(trx);
        await held;
      });
    try {
      await waitFor(() => isStale(app), 10_000, 'the stale marker');
      await expectLastKnownState(app);
      const body = (await (await app.request('/api/v2/status.json')).json()) as { stale: { reason: string } };
      expect(body.stale.reason).toBe('the status database has not answered within 1 s');
    } finally {
      release();
      await locking;
    }
    await waitFor(async () => !(await isStale(app)), 10_000, 'the live state');
  });
});

describe('the status page over a database that never answered', () => {
  let dead: Awaited<ReturnType<typeof createUnreachableContext>>;
  beforeAll(async () => {
    dead = await createUnreachableContext();
  });
  afterAll(async () => {
    await dead?.close();
  });

  it('answers 200 saying the status is unavailable, never an error', async () => {
    const app = fullApp(dead.ctx);
    const page = await app.request('/status');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Status temporarily unavailable');
    expect(html).toContain('the status database cannot be reached');
    const res = await app.request('/api/v2/summary.json');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      components: [],
      status: { indicator: 'minor', description: 'Status temporarily unavailable' },
      stale: { reason: 'the status database cannot be reached', as_of: null },
    });
  });
});

describe('the status page over a PostgreSQL that stopped', () => {
  let server: PostgresServer;
  let handle: KyselyHandle;
  let h: Harness;

  beforeAll(async () => {
    server = await startPostgres({ maxConnections: 30 });
    handle = createKysely(server.url, { max: 2 });
    await migrateTestDatabase(handle.db);
    h = await createTestContext({
      ...handle,
      url: server.url,
      backend: 'postgres',
      close: async () => {},
    } as TestDatabase);
  });
  afterAll(async () => {
    await h?.close();
    await handle?.db.destroy();
    server?.stop();
  });

  it('keeps serving the last known state to anyone, signed in or not, once PostgreSQL is gone', async () => {
    const app = fullApp(h.ctx);
    const { cookie } = await signUp(app, 'status-reader@example.com');
    await publishedIncident(h);
    expect(await isStale(app)).toBe(false);
    server.stop();
    await waitFor(() => isStale(app), 15_000, 'the stale marker');
    await expectLastKnownState(app);
    await expectLastKnownState(app, { headers: { cookie } });
    // Other routes still say 503, so nothing pretends the database is there.
    expect((await app.request('/api/usage', { headers: { cookie } })).status).toBe(503);
  });
});
