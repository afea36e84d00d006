import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { redactUrl } from '../adapters/db/connection.ts';
import { reserveEmbedded } from '../adapters/db/embedded.ts';
import { type InboxListener, listenForInbox } from '../adapters/db/inbox-listener.ts';
import type { Logger } from '../adapters/logger.ts';
import type { Config } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { createEmulator } from '../emulator/create-emulator.ts';
import type { EmulatorInfo, EmulatorStartOptions } from '../interfaces/cli/runtime.ts';
import { answerClientErrors } from '../interfaces/http/client-error.ts';
import { createPolarisApp } from '../interfaces/http/polaris-app.ts';
import { createStartingApp } from '../interfaces/http/starting-app.ts';
import { startWorker, type WorkerHandle } from '../interfaces/worker/start-worker.ts';
import type { ServiceContext } from '../services/context.ts';
import { migrateDatabase } from '../services/db/migrate-database.ts';
import { checkReadiness } from '../services/health/check-readiness.ts';
import { syncPlans } from '../services/plans/sync-plans.ts';
import { ensureDemoAccounts } from '../services/users/ensure-demo-accounts.ts';
import { buildContext, type Closable, noClose, persistDevSecrets, readDevSecrets } from './context.ts';

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

/** Starts the Razorpay emulator on loopback, its state kept in the data folder across restarts. */
export async function startEmulator(config: Config, options: EmulatorStartOptions = {}) {
  const keyId = options.keyId ?? config.razorpay.keyId;
  const keySecret = options.keySecret ?? config.razorpay.keySecret;
  const port = options.port ?? config.emulatorPort;
  mkdirSync(config.dataDir, { recursive: true });
  const emulator = createEmulator({
    keyId,
    keySecret,
    statePath: join(config.dataDir, 'emulator-state.json'),
    webhooks:
      options.webhookUrl && options.webhookSecret
        ? [{ url: options.webhookUrl, secret: options.webhookSecret }]
        : [],
  });
  try {
    const server = await emulator.listen(port, '127.0.0.1');
    const info: EmulatorInfo = { url: server.url, keyId, keySecret, webhookUrl: options.webhookUrl };
    return { info, close: () => emulator.close() };
  } catch (error) {
    await emulator.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new AppError(
        'unavailable',
        `port ${port} (POLARIS_EMULATOR_PORT) is in use by another program; stop it or choose another port`,
      );
    }
    throw error;
  }
}

export async function emulatorControl(
  config: Config,
  path: string,
  body: unknown,
  url?: string,
): Promise<unknown> {
  const base = url ?? `http://127.0.0.1:${config.emulatorPort}`;
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new AppError(
      'unavailable',
      `no emulator answers at ${base}; start one with npm start or polaris emulator start`,
    );
  }
  const answer = (await res.json().catch(() => ({}))) as { error?: { description?: string } };
  if (!res.ok)
    throw new AppError('bad_request', answer.error?.description ?? `emulator answered ${res.status}`);
  return answer;
}

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
  let current = createStartingApp(log);
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
  const shutdown = async () => {
    server.close();
    server.closeAllConnections();
    await worker?.stop();
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
    const ctx = built.ctx;
    await ctx.database.ping();
    if (config.env !== 'production') {
      const migrated = await migrateDatabase({ ctx, input: { actor: 'server' } });
      if (!migrated.ok) throw migrated.error;
    }
    persistDevSecrets(config);
    if (emulator) notes.push(...(await prepareDevelopment(config, ctx)));
    current = createPolarisApp(ctx, { log, readiness: () => checkReadiness({ ctx }) });
    worker = await startInboxWorker(config, ctx, database.url, log);
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

/** The inbox worker, woken by LISTEN/NOTIFY on PostgreSQL and polling on the embedded database. */
export async function startInboxWorker(config: Config, ctx: ServiceContext, url: string, log: Logger) {
  let listener: InboxListener | undefined;
  if (config.database.kind === 'postgres') {
    listener = await listenForInbox(url, {
      lost: (error) => log.warn({ err: error }, 'inbox listener lost; polling until it is back'),
      restored: () => log.info('inbox listener restored'),
    });
  }
  const worker = startWorker({ ctx, ...(listener ? { wake: listener.subscribe, pollMs: 2_000 } : {}) });
  return {
    stop: async () => {
      await worker.stop();
      await listener?.close();
    },
  };
}

/** Development conveniences: plans synced into the emulator and the demo accounts, printed. */
export async function prepareDevelopment(config: Config, ctx: ServiceContext): Promise<string[]> {
  const notes: string[] = [];
  const synced = await syncPlans({ ctx });
  notes.push(
    synced.ok
      ? `  plans:    ${synced.value.plans.length} Razorpay plans synced into the emulator`
      : `  plans:    NOT synced (${synced.error.message}); run npx polaris plans sync`,
  );
  const stored = readDevSecrets(config.dataDir) ?? {};
  const passwords = stored.demoPasswords as { admin: string; user: string } | undefined;
  const accounts = await ensureDemoAccounts({ ctx, input: passwords ? { passwords } : {} });
  const created = Object.fromEntries(accounts.filter((a) => a.password).map((a) => [a.role, a.password]));
  if (!passwords && created.admin && created.user) {
    writeFileSync(
      join(config.dataDir, 'dev-secrets.json'),
      JSON.stringify({ ...stored, demoPasswords: created }),
      { mode: 0o600 },
    );
  }
  for (const a of accounts) {
    notes.push(`  demo ${a.role.padEnd(5)}: ${a.email}  password: ${a.password ?? '(see dev-secrets.json)'}`);
  }
  return notes;
}
