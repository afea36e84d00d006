import { redactUrl } from './adapters/db/connection.ts';
import { embeddedOwner, embeddedUrl } from './adapters/db/embedded.ts';
import { loadPolicyFile } from './adapters/policy-file.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { AppError } from './domain/errors.ts';
import { runProgram } from './interfaces/cli/program.ts';
import type { CliRuntime } from './interfaces/cli/runtime.ts';
import { alertSpoolFor } from './wiring/alerts.ts';
import { buildContext, openClientDatabase, readDevSecrets } from './wiring/context.ts';
import { backupBeforeRollback, verifyAfterRestore } from './wiring/data-safety.ts';
import { webhookRotation } from './wiring/dev-secrets.ts';
import { emulatorControl, startEmulator } from './wiring/emulator.ts';
import { gameDaySeams, openGameDayWorld } from './wiring/game-day.ts';
import { processLogger } from './wiring/logging.ts';
import { restoreCheckRuntime } from './wiring/restore-check.ts';
import { smokeRuntime } from './wiring/smoke.ts';

function runtimeFor(config: Config): CliRuntime {
  const log = processLogger(config, config.logLevel, process.stdout);
  const withContext: CliRuntime['withContext'] = async (work) => {
    const database = await openClientDatabase(config);
    const built = buildContext(config, database.url, processLogger(config, 'warn', process.stderr));
    try {
      await built.ctx.database.ping();
      return await work(built.ctx);
    } finally {
      await built.close();
      await database.close();
    }
  };
  return {
    databaseUrl: () => {
      if (config.database.kind === 'postgres') return { url: config.database.url };
      const owner = embeddedOwner(config.database.dataDir);
      if (owner) return { url: embeddedUrl(owner.port) };
      return {
        url: embeddedUrl(config.database.port),
        note: `no process serves ${config.database.dataDir} right now; start one with npm start`,
      };
    },
    withContext,
    policy: () => loadPolicyFile(config.policyFile),
    alertSpool: () => alertSpoolFor(config.dataDir),
    verifyDatabase: verifyAfterRestore,
    backupBeforeRollback,
    withContextAt: async (url, work) => {
      const target: Config = { ...config, database: { kind: 'postgres', url, poolMax: 2 } };
      const built = buildContext(target, url, processLogger(config, 'warn', process.stderr));
      try {
        await built.ctx.database.ping();
        return await work(built.ctx);
      } finally {
        await built.close();
      }
    },
    // Server, worker and config-check wiring load only for their command: a CLI command starts without hono.
    // A bad policy file stops the boot before anything listens, naming the field.
    startServer: async () => {
      loadPolicyFile(config.policyFile);
      return (await import('./wiring/server.ts')).runServer(config, log);
    },
    runWorker: async () => {
      const owner = config.database.kind === 'embedded' ? embeddedOwner(config.database.dataDir) : undefined;
      if (owner) {
        throw new AppError(
          'conflict',
          `process ${owner.pid} serves the embedded database and already runs a worker; polaris worker is for scale-out with DATABASE_URL`,
        );
      }
      const [{ waitForSignal }, { startFlagsWatch }, { startInboxWorker }] = await Promise.all([
        import('./wiring/server.ts'),
        import('./wiring/flags.ts'),
        import('./wiring/worker.ts'),
      ]);
      const database = await openClientDatabase(config);
      const built = buildContext(config, database.url, log);
      try {
        await built.ctx.database.ping();
        const flags = await startFlagsWatch(config, built.ctx, database.url, log);
        const worker = await startInboxWorker(config, flags.ctx, database.url, log);
        log.info({ database: redactUrl(database.url) }, 'worker started');
        await waitForSignal();
        await worker.stop();
        await flags.stop();
      } finally {
        await built.close();
        await database.close();
      }
    },
    checkConfig: async (target, offline) =>
      (await import('./wiring/config-check.ts')).runConfigCheck(target, offline),
    secrets: { rotation: () => webhookRotation(config) },
    emulator: {
      start: async (options, ready) => {
        const { waitForSignal } = await import('./wiring/server.ts');
        const running = await startEmulator(config, options);
        ready(running.info);
        await waitForSignal();
        await running.close();
      },
      control: (path, body, url) => emulatorControl(config, path, body, url),
    },
    smoke: smokeRuntime(config, withContext),
    restoreCheck: restoreCheckRuntime(config),
    gameDay: { open: openGameDayWorld, seams: gameDaySeams },
  };
}

const isConfigCheck = (argv: string[]) =>
  argv
    .filter((a) => !a.startsWith('-'))
    .join(' ')
    .startsWith('config check');

/** The `polaris` entry point: configuration (exit 2 naming the variable), then the command. */
export async function runCli(argv: string[]): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(undefined, readDevSecrets);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (!isConfigCheck(argv)) {
      process.stderr.write(`polaris: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    // config check reports every bad variable itself; nothing else of this runtime is used.
    config = loadConfig({});
  }
  process.exit(await runProgram(runtimeFor(config), argv));
}
