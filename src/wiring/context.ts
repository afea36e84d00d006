import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { AuthConfig } from '../adapters/auth/options.ts';
import { backupFiles, packageVersion } from '../adapters/backup/store.ts';
import { backupDatabase } from '../adapters/db/backups.ts';
import { createKysely, verifyConnection } from '../adapters/db/connection.ts';
import { embeddedOwner, embeddedUrl, ownConnectionUrl, reserveEmbedded } from '../adapters/db/embedded.ts';
import { Migrator } from '../adapters/db/migrator.ts';
import { syncPlanCatalog } from '../adapters/db/plan-catalog.ts';
import { createRepos, createUnitOfWork } from '../adapters/db/repos.ts';
import type { Database } from '../adapters/db/schema.ts';
import { scratchOnServer, scratchPglite } from '../adapters/db/scratch.ts';
import type { Logger } from '../adapters/logger.ts';
import type { NotificationsPort } from '../adapters/notify/channel.ts';
import { loadPolicyFile } from '../adapters/policy-file.ts';
import { createHttpGateway } from '../adapters/razorpay/http-gateway.ts';
import type { HttpClientOptions } from '../adapters/razorpay/http-request.ts';
import {
  secretFingerprint,
  verifyPaymentSignature,
  verifyWebhookSignature,
} from '../adapters/razorpay/signature.ts';
import type { Config } from '../config.ts';
import { defaultPolicy, type Policy } from '../domain/policy.ts';
import type { BillingSettings, ServiceContext } from '../services/context.ts';
import { lazyAccounts } from './accounts.ts';
import { liveWebhookSecrets, readDevSecrets } from './dev-secrets.ts';
import { consoleNotifications, notificationsPort } from './notifications.ts';

export type Closable = { url: string; close: () => Promise<void> };
export const noClose = async () => {};

export { readDevSecrets } from './dev-secrets.ts';

export function persistDevSecrets(config: Config): void {
  const stored = readDevSecrets(config.dataDir);
  if (config.env === 'production' || stored?.authSecret) return;
  const { keyId, keySecret, webhookSecret } = config.razorpay;
  // An instance configured wholly by env may start before anything made the folder.
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(
    join(config.dataDir, 'dev-secrets.json'),
    JSON.stringify({ keyId, keySecret, webhookSecret, ...stored, authSecret: config.authSecret }),
    {
      mode: 0o600,
    },
  );
}

/** Where the Razorpay API is: the configured URL, or the embedded emulator. */
export function razorpayBaseUrl(config: Config): string {
  return config.razorpay.apiUrl ?? `http://127.0.0.1:${config.emulatorPort}`;
}

/** The parts a ServiceContext is assembled from; production, tests and benchmarks differ only here. */
export type ContextParts = {
  db: Kysely<Database>;
  url: string;
  kind: 'embedded' | 'postgres';
  gateway: HttpClientOptions;
  auth: AuthConfig & { adminToken?: string | undefined };
  settings: BillingSettings;
  log: Logger;
  now?: () => Date;
  /** The incident policy; the runbook's defaults when left out. */
  policy?: Policy;
  /** Where `db backup` writes; unset in tests and benches that pass a folder themselves. */
  backupDir?: string | undefined;
  /** Notification channels; the log only when left out. */
  notifications?: NotificationsPort;
};

/** Wires adapters into the service context over one Kysely instance. */
export function assembleContext(parts: ContextParts): ServiceContext {
  const { db, url } = parts;
  const repos = createRepos(db);
  // A dump or a load connects as the pool does (buildContext): on the embedded database, as its own.
  const backups = backupDatabase(db, parts.kind === 'embedded' ? ownConnectionUrl(url) : url);
  return {
    database: { kind: parts.kind, ping: () => verifyConnection(db, url) },
    migrations: new Migrator(db),
    planCatalog: { sync: (plans) => syncPlanCatalog(db, plans) },
    repos,
    transaction: createUnitOfWork(db),
    gateway: createHttpGateway(parts.gateway),
    accounts: lazyAccounts({ log: parts.log, ...parts.auth }),
    signatures: {
      verifyWebhook: verifyWebhookSignature,
      verifyPayment: verifyPaymentSignature,
      fingerprint: secretFingerprint,
    },
    // A fresh read per call; servers and workers replace it with the watched cache (wiring/flags.ts).
    flags: { stored: () => repos.flags.list() },
    backups: {
      dir: parts.backupDir,
      polarisVersion: packageVersion(),
      database: backups,
      files: backupFiles,
      scratch: async () =>
        (await backups.describe()).engine === 'pglite' ? scratchPglite() : scratchOnServer(url),
    },
    settings: parts.settings,
    policy: parts.policy ?? defaultPolicy(),
    notifications: parts.notifications ?? consoleNotifications(parts.log),
    log: parts.log,
    now: parts.now ?? (() => new Date()),
  };
}

/**
 * The policy file's contents. The server and Vercel refuse to boot on a bad file before this runs;
 * a CLI command (a kill switch at 3 a.m.) warns and goes on with the runbook's defaults instead.
 */
function policyOrDefaults(config: Config, log: Logger): Policy {
  try {
    return loadPolicyFile(config.policyFile).policy;
  } catch (error) {
    log.warn(
      { err: error },
      'policy file unusable; using the built-in defaults (polaris policy check names the field)',
    );
    return defaultPolicy();
  }
}

/** Builds the service context from the configuration over one database URL. */
export function buildContext(config: Config, url: string, log: Logger) {
  const kind = config.database.kind;
  // PGlite is one session underneath: more connections from one process would only queue behind each other.
  // On the embedded database this pool is the server's own connection: never cut for idling.
  // PostgreSQL: DATABASE_POOL_MAX (README explains the default of 10).
  const handle = createKysely(kind === 'embedded' ? ownConnectionUrl(url) : url, {
    max: config.database.kind === 'embedded' ? 1 : config.database.poolMax,
  });
  const base = razorpayBaseUrl(config);
  const webhookSecrets = liveWebhookSecrets(config);
  const ctx = assembleContext({
    db: handle.db,
    url,
    kind,
    gateway: { baseUrl: base, keyId: config.razorpay.keyId, keySecret: config.razorpay.keySecret },
    auth: {
      db: handle.db,
      secret: config.authSecret,
      baseUrl: config.publicBaseUrl,
      adminToken: config.adminToken,
      rateLimit: config.authRateLimits,
      trustedProxies: config.trustedProxies,
    },
    settings: {
      env: config.env,
      publicBaseUrl: config.publicBaseUrl,
      razorpayKeyId: config.razorpay.keyId,
      razorpayKeySecret: config.razorpay.keySecret,
      // A getter: a development server follows `polaris secrets rotate-webhook` without a restart.
      get webhookSecrets() {
        return webhookSecrets();
      },
      paymentsEnabled: config.paymentsEnabledOverride !== false,
      checkoutScriptUrl: config.razorpay.apiUrl
        ? 'https://checkout.razorpay.com/v1/checkout.js'
        : `${base}/v1/checkout.js`,
    },
    log,
    backupDir: config.backupDir,
    policy: policyOrDefaults(config, log),
    notifications: notificationsPort(config, log),
  });
  return { ctx, pool: handle.pool, close: () => handle.db.destroy() };
}

/** A CLI command's database: the configured server, the running owner of the folder, or the folder itself. */
export async function openClientDatabase(config: Config): Promise<Closable> {
  if (config.database.kind === 'postgres') return { url: config.database.url, close: noClose };
  const owner = embeddedOwner(config.database.dataDir);
  if (owner) return { url: embeddedUrl(owner.port), close: noClose };
  const reservation = await reserveEmbedded(config.database.dataDir, config.database.port);
  return reservation.start();
}
