import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { redactUrl } from '../adapters/db/connection.ts';
import { reserveEmbedded } from '../adapters/db/embedded.ts';
import type { Logger } from '../adapters/logger.ts';
import type { Config } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { answerClientErrors } from '../interfaces/http/client-error.ts';
import { createStartingApp } from '../interfaces/http/starting-app.ts';
import type { WorkerHandle } from '../interfaces/worker/start-worker.ts';
import { migrateDatabase } from '../services/db/migrate-database.ts';
import { preloadAccounts } from './accounts.ts';
import { alertSpoolFor } from './alerts.ts';
import { buildContext, type Closable, noClose, persistDevSecrets } from './context.ts';
import { prepareDevelopment } from './development.ts';
import { startEmulator } from './emulator.ts';
import { startFlagsWatch } from './flags.ts';
import { composeProductApp, scheduledJobs } from './http.ts';
import { currentBuild, recordStart } from './release.ts';
import { startRequestLog } from './request-log.ts';
import { startScheduler } from './scheduler.ts';
import { startInboxWorker } from './worker.ts';

/** Listens on `port`; a port in use is an AppError naming PORT. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new AppError(
            'unavailable',
            `port ${port} (PORT) is in use by another program; stop it or set PORT`,
          ),
        );
      } else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}

/** Resolves with the first SIGINT or SIGTERM. */
export function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
}

/**
 * `polaris start`: takes the embedded folder (if any) and the HTTP port before touching data, then
 * opens and migrates the database; readiness answers 503 until then.
 */
export async function runServer(config: Config, log: Logger): Promise<void> {
  const reservation =
    config.database.kind === 'embedded'
      ? await reserveEmbedded(config.database.dataDir, config.database.port)
      : undefined;
  // Until the database is ready every route answers 503 (readiness says "starting"); then the product.
  const build = currentBuild(config);
  let current = createStartingApp(log, { version: build.version, commit: build.commit, schema: null });
  const server = createAdaptorServer({ fetch: (request, env) => current.fetch(request, env) }) as Server;
  answerClientErrors(server, log);
  const host = config.env === 'production' ? '0.0.0.0' : '127.0.0.1';
  try {
    await listen(server, config.port, host);
  } catch (error) {
    reservation?.release();
    throw error;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  if (config.razorpay.apiUrl === undefined) {
    try {
      emulator = await startEmulator(config, {
        webhookUrl: `http://127.0.0.1:${config.port}/api/webhooks/razorpay`,
        webhookSecret: config.razorpay.webhookSecret,
      });
    } catch (error) {
      server.close();
      reservation?.release();
      throw error;
    }
  }
  let database: Closable | undefined;
  let built: ReturnType<typeof buildContext> | undefined;
  let worker: WorkerHandle | undefined;
  let requestLog: ReturnType<typeof startRequestLog> | undefined;
  let flags: Awaited<ReturnType<typeof startFlagsWatch>> | undefined;
  let scheduler: ReturnType<typeof startScheduler> | undefined;
  const shutdown = async () => {
    server.close();
    server.closeAllConnections();
    await scheduler?.stop();
    await requestLog?.close();
    await worker?.stop();
    await flags?.stop();
    await emulator?.close();
    await built?.close();
    await database?.close();
    reservation?.release();
  };
  const notes: string[] = [];
  try {
    database = reservation
      ? await reservation.start()
      : { url: (config.database as { url: string }).url, close: noClose };
    built = buildContext(config, database.url, log);
    await built.ctx.database.ping();
    await preloadAccounts();
    if (config.env !== 'production') {
      const migrated = await migrateDatabase({ ctx: built.ctx, input: { actor: 'server' } });
      if (!migrated.ok) throw migrated.error;
    }
    flags = await startFlagsWatch(config, built.ctx, database.url, log);
    const ctx = flags.ctx;
    persistDevSecrets(config);
    if (emulator) notes.push(...(await prepareDevelopment(config, ctx)));
    requestLog = startRequestLog(ctx, log, { retentionDays: config.requestLogRetentionDays });
    const release = await recordStart(ctx, build, log);
    const product = composeProductApp(ctx, {
      log,
      release: () => release,
      cronSecret: config.cronSecret,
      pool: built.pool,
      requestLogRetentionDays: config.requestLogRetentionDays,
      requestLog: { sink: requestLog.writer, trustedProxies: config.trustedProxies },
      alertSpool: alertSpoolFor(config.dataDir),
    });
    current = product.app;
    worker = await startInboxWorker(config, ctx, database.url, log, product.metrics);
    // The request log prunes itself on its own timer here; the leader runs everything else.
    const jobs = scheduledJobs(ctx, { alertSpool: alertSpoolFor(config.dataDir) });
    scheduler = startScheduler(config, ctx, database.url, jobs);
  } catch (error) {
    await shutdown();
    throw error;
  }
  const razorpay = emulator
    ? `emulator at ${emulator.info.url} (key ${emulator.info.keyId})`
    : config.razorpay.apiUrl;
  log.info(
    { url: `http://localhost:${config.port}`, database: redactUrl(database.url), razorpay },
    'polaris ready',
  );
  process.stderr.write(
    [
      '',
      `Polaris is running at http://localhost:${config.port}`,
      `  database: ${redactUrl(database.url)}`,
      `  razorpay: ${razorpay}`,
      ...notes,
      '  psql:     psql "$(npx polaris db url)"',
      '  stop:     Ctrl-C',
      '',
      '',
    ].join('\n'),
  );
  const signal = await waitForSignal();
  log.info({ signal }, 'shutting down');
  await shutdown();
}
