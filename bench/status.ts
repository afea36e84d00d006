import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { createEmulator } from '../src/emulator/create-emulator.ts';
import { openIncident } from '../src/services/incidents/open-incident.ts';
import { resolveIncident } from '../src/services/incidents/resolve-incident.ts';
import { updateIncident } from '../src/services/incidents/update-incident.ts';
import { recordComponentStates } from '../src/services/status/record-component-states.ts';
import { composeProductApp } from '../src/wiring/http.ts';
import { runLoad } from './load.ts';
import { contextFor, KEYS, postgresDb } from './support/context.ts';

// BENCH_STATUS_SECONDS per run (default 10); the goal: 500 req/s with p99 < 50 ms, database up or stopped.
const SECONDS = Number(process.env.BENCH_STATUS_SECONDS ?? 10);
const CONNECTIONS = 16;
const INCIDENTS = 30;

/**
 * GET /status and /api/v2/summary.json under load from another process, on a durable PostgreSQL
 * holding 30 published incidents (one open), then the same once PostgreSQL is stopped (the page
 * serves its last known state).
 */
export async function runStatusBench(): Promise<Record<string, number>> {
  const emu = createEmulator({ keyId: KEYS.keyId, keySecret: KEYS.keySecret });
  const emuServer = await emu.listen(0);
  const database = await postgresDb(true, 10);
  const { ctx, db } = await contextFor(database, emuServer.url);
  const actor = 'bench';
  for (let i = 0; i < INCIDENTS; i += 1) {
    const incident = await openIncident({
      ctx,
      input: {
        severity: 'high',
        type: 'payment',
        title: `Bench incident ${i}`,
        components: 'checkout',
        actor,
      },
    });
    await updateIncident({
      ctx,
      input: { id: incident.id, status: 'identified', message: 'Found the cause.', public: true, actor },
    });
    if (i < INCIDENTS - 1)
      await resolveIncident({ ctx, input: { id: incident.id, message: 'Fixed.', public: true, actor } });
  }
  await recordComponentStates({ ctx });
  const { app } = composeProductApp(ctx, { log: ctx.log, cronSecret: undefined });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  const load = (path: string) =>
    runLoad({ port, path, method: 'GET', connections: CONNECTIONS, durationMs: SECONDS * 1000 });
  let stopped = false;
  try {
    const page = await load('/status');
    const summary = await load('/api/v2/summary.json');
    await database.stop();
    stopped = true;
    for (const started = performance.now(); performance.now() - started < 30_000; ) {
      const html = await (await fetch(`http://127.0.0.1:${port}/status`)).text();
      if (html.includes('id="stale"')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const pageDown = await load('/status');
    const summaryDown = await load('/api/v2/summary.json');
    return {
      page_per_s: page.perSecond,
      page_p99_ms: page.p99,
      summary_per_s: summary.perSecond,
      summary_p99_ms: summary.p99,
      db_stopped_page_per_s: pageDown.perSecond,
      db_stopped_page_p99_ms: pageDown.p99,
      db_stopped_summary_per_s: summaryDown.perSecond,
      db_stopped_summary_p99_ms: summaryDown.p99,
    };
  } finally {
    server.close();
    await db.destroy();
    if (!stopped) await database.stop();
    await emu.close();
  }
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const results = await runStatusBench();
  for (const [k, v] of Object.entries(results)) console.log(`status.${k}\t${v}`);
  process.exit(0);
}
