import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureLogger, createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { fullApp } from '../../../test/support/full-app.ts';
import { signedUp } from '../../../test/support/security.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { createKysely } from '../../adapters/db/connection.ts';
import { findFreePort } from '../../adapters/db/port-probe.ts';
import { RequestLogWriter } from '../../adapters/db/request-log-writer.ts';
import { createRequestLogsRepo } from '../../adapters/db/request-logs-repo.ts';
import { checkReadiness } from '../../services/health/check-readiness.ts';
import { createHttpApp } from './app.ts';
import type { AppEnv } from './env.ts';
import { requestLog } from './request-log.ts';

/** Serves an app on a loopback port, so requests carry a real client address. */
async function serve(app: Hono<AppEnv>) {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url, close };
}

describeEachBackend('request log', { migrated: true }, (get) => {
  const h = {} as {
    t: Awaited<ReturnType<typeof createTestContext>>;
    writer: RequestLogWriter;
    app: Hono<AppEnv>;
  };
  beforeAll(async () => {
    h.t = await createTestContext(get());
    const { ctx } = h.t;
    h.writer = new RequestLogWriter({ insert: (e) => ctx.repos.requestLogs.insertMany(e), log: ctx.log });
    h.app = fullApp(ctx, { requestLog: { sink: h.writer, trustedProxies: [] } });
  });
  afterAll(async () => {
    await h.writer?.close();
    await h.t?.close();
  });
  const rowsOf = (requestId: string) =>
    get().db.selectFrom('request_logs').selectAll().where('request_id', '=', requestId).execute();

  it('writes one row per API request with user, method, path, status, address, user agent, duration and request id', async () => {
    const { userId, cookie } = await signedUp(h.app, get().db, 'logged@example.com');
    const served = await serve(h.app);
    try {
      const headers = { cookie, 'user-agent': 'incident-probe/1.0', 'x-request-id': 'req-signed-in' };
      expect((await fetch(`${served.url}/api/usage?secret=x`, { headers })).status).toBe(200);
      const anonymous = { 'user-agent': 'curl/8', 'x-request-id': 'req-anonymous' };
      expect((await fetch(`${served.url}/api/usage`, { headers: anonymous })).status).toBe(401);
      const probe = { 'x-request-id': 'req-health' };
      expect((await fetch(`${served.url}/api/health`, { headers: probe })).status).toBe(200);
      expect((await fetch(`${served.url}/pricing`, { headers: { 'x-request-id': 'req-page' } })).status).toBe(
        200,
      );
    } finally {
      await served.close();
    }
    await h.writer.flush();

    const [signedIn] = await rowsOf('req-signed-in');
    expect(signedIn).toMatchObject({
      user_id: userId,
      method: 'GET',
      path: '/api/usage',
      status: 200,
      ip: '127.0.0.1',
      user_agent: 'incident-probe/1.0',
      request_id: 'req-signed-in',
    });
    expect(signedIn?.duration_ms).toBeGreaterThanOrEqual(0);
    expect(await rowsOf('req-anonymous')).toMatchObject([
      { user_id: null, status: 401, path: '/api/usage', user_agent: 'curl/8', ip: '127.0.0.1' },
    ]);
    // Health probes and pages are not API traffic.
    expect(await rowsOf('req-health')).toEqual([]);
    expect(await rowsOf('req-page')).toEqual([]);
  });

  it('keeps a reset token in the path out of the log', async () => {
    const res = await h.app.request('/api/auth/reset-password/tok_secret123', {
      headers: { 'x-request-id': 'req-reset' },
    });
    expect(res.status).toBeGreaterThanOrEqual(200);
    await h.writer.flush();
    expect((await rowsOf('req-reset')).map((r) => r.path)).toEqual(['/api/auth/reset-password/:token']);
  });

  it('writes a burst in batches: every entry lands, in as many statements as batches', async () => {
    const statements: number[] = [];
    const repo = createRequestLogsRepo(get().db);
    const writer = new RequestLogWriter({
      insert: (entries) => {
        statements.push(entries.length);
        return repo.insertMany(entries);
      },
      log: h.t.ctx.log,
      batchSize: 20,
    });
    const app = createHttpApp({
      log: h.t.ctx.log,
      readiness: () => checkReadiness({ ctx: h.t.ctx }),
      middleware: [requestLog(writer, [])],
      routes: [(a) => a.get('/api/ping', (c) => c.json({ ok: true }))],
    });
    for (let i = 0; i < 50; i += 1) {
      await app.request('/api/ping', { headers: { 'x-request-id': `burst-${i}` } });
    }
    await writer.close();
    const written = await get()
      .db.selectFrom('request_logs')
      .select('request_id')
      .where('request_id', 'like', 'burst-%')
      .execute();
    expect(written).toHaveLength(50);
    expect(statements.reduce((a, b) => a + b, 0)).toBe(50);
    expect(statements.every((n) => n <= 20)).toBe(true);
    expect(writer.snapshot()).toMatchObject({ written: 50, dropped: 0 });
  });
});

it('a stopped database neither fails nor holds requests: they answer, the buffer stays bounded and drops are counted', async () => {
  const url = `postgresql://polaris:pw@127.0.0.1:${await findFreePort()}/polaris`;
  const { db } = createKysely(url, { max: 1 });
  const { log, lines } = captureLogger('warn');
  const repo = createRequestLogsRepo(db);
  const writer = new RequestLogWriter({
    insert: (e) => repo.insertMany(e),
    log,
    batchSize: 5,
    capacity: 10,
    flushIntervalMs: 20,
  });
  const app = createHttpApp({
    log,
    readiness: async () => ({ ok: true, checks: {} }),
    middleware: [requestLog(writer, [])],
    routes: [(a) => a.get('/api/ping', (c) => c.json({ ok: true }))],
  });
  try {
    for (let i = 0; i < 40; i += 1) expect((await app.request('/api/ping')).status).toBe(200);
    await waitFor(() => writer.snapshot().failedFlushes >= 2, 10_000, 'failed flushes');
    const stats = writer.snapshot();
    expect(stats.written).toBe(0);
    expect(stats.buffered).toBeLessThanOrEqual(10);
    expect(stats.buffered + stats.inFlight + stats.dropped).toBe(40);
    // One warning for the outage, not one per failed flush.
    expect(lines.filter((l) => l.includes('request log: could not write'))).toHaveLength(1);
    expect((await app.request('/api/ping')).status).toBe(200);
  } finally {
    await writer.close();
    await db.destroy();
  }
  expect(writer.snapshot()).toMatchObject({ buffered: 0, dropped: 41 });
});

it('names the client by the connection, or behind a trusted proxy by the rightmost untrusted X-Forwarded-For hop', async () => {
  const seen: (string | null)[] = [];
  const sink = { record: (e: { ip: string | null }) => seen.push(e.ip) };
  const { log } = captureLogger('silent');
  const appFor = (trusted: string[]) =>
    createHttpApp({
      log,
      readiness: async () => ({ ok: true, checks: {} }),
      middleware: [requestLog(sink, trusted)],
      routes: [(a) => a.get('/api/ping', (c) => c.json({ ok: true }))],
    });
  const forwarded = { 'x-forwarded-for': '6.6.6.6, 203.0.113.5, 10.1.2.3' };
  for (const trusted of [[], ['127.0.0.0/8', '10.0.0.0/8'], ['127.0.0.1']]) {
    const served = await serve(appFor(trusted));
    try {
      expect((await fetch(`${served.url}/api/ping`, { headers: forwarded })).status).toBe(200);
    } finally {
      await served.close();
    }
  }
  // Untrusted peer: its own address. Trusted chain: past 10.1.2.3, never the client-written 6.6.6.6.
  expect(seen).toEqual(['127.0.0.1', '203.0.113.5', '10.1.2.3']);
});
