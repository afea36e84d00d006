import type { AccountsPort } from '../adapters/auth/accounts-port.ts';
import type { BackupFiles } from '../adapters/backup/store.ts';
import type { BackupDatabase } from '../adapters/db/backups.ts';
import type {
  MigrationActor,
  MigrationState,
  RollbackPlan,
  RollbackTarget,
} from '../adapters/db/migrator.ts';
import type { Repos, UnitOfWork } from '../adapters/db/repos.ts';
import type { ScratchDatabase } from '../adapters/db/scratch.ts';
import type { Logger } from '../adapters/logger.ts';
import type { NotificationsPort } from '../adapters/notify/channel.ts';
import type { RazorpayGateway } from '../adapters/razorpay/gateway.ts';
import type {
  secretFingerprint,
  verifyPaymentSignature,
  verifyWebhookSignature,
} from '../adapters/razorpay/signature.ts';
import type { Result } from '../domain/errors.ts';
import type { StoredFlag } from '../domain/flags.ts';
import type { Plan } from '../domain/plans.ts';
import type { Policy } from '../domain/policy.ts';
import type { ExpectedStep, SchemaCatalog } from '../domain/schema-catalog.ts';

/** The database as use cases see it: which kind, and whether it answers. */
export interface DatabasePort {
  kind: 'embedded' | 'postgres';
  ping(): Promise<void>;
}

/** Schema migrations and the catalog each must leave (implemented by adapters/db/migrator.ts). */
export interface MigrationsPort {
  status(): Promise<MigrationState[]>;
  migrate(options?: MigrationActor): Promise<Result<{ applied: string[] }>>;
  rollback(
    target: RollbackTarget,
    options?: MigrationActor,
  ): Promise<Result<{ rolledBack: string[]; audited: boolean }>>;
  planRollback(target: RollbackTarget): Promise<Result<RollbackPlan>>;
  expectedSchema(): ExpectedStep[];
  readSchema(): Promise<SchemaCatalog>;
  countRows(tables: string[]): Promise<Record<string, number | null>>;
}

/** Writes the code plan catalog where the database's quota functions read it. */
export interface PlanCatalogPort {
  sync(plans: readonly Plan[]): Promise<number>;
}

/** Constant-time Razorpay signature checks (adapters/razorpay/signature.ts). */
export interface SignaturesPort {
  verifyWebhook: typeof verifyWebhookSignature;
  verifyPayment: typeof verifyPaymentSignature;
  /** The public fingerprint of a webhook secret, recorded with each event it verified. */
  fingerprint: typeof secretFingerprint;
}

/**
 * The kill switches as this process knows them: a fresh read (CLI, tests), or in a server and a
 * worker the cache services/flags/watch-flags.ts keeps fresh within a second.
 */
export interface FlagsPort {
  stored(): Promise<StoredFlag[]>;
  /** Tells a cache that this process just changed a flag, so it reloads now (a fresh read needs nothing). */
  changed?(): void;
}

/** Backups of this context's database: where they go, how they are made, and scratch databases for drills. */
export interface BackupsPort {
  /** BACKUP_DIR, else POLARIS_DATA_DIR/backups; undefined where nothing configures one (pass a dir). */
  dir: string | undefined;
  /** This build's version, recorded in each manifest. */
  polarisVersion: string;
  database: BackupDatabase;
  files: BackupFiles;
  /** A throwaway database of the same engine, for a drill (never the live one). */
  scratch(): Promise<ScratchDatabase>;
}

/** Settings services need, taken from the parsed configuration at boot. */
export type BillingSettings = {
  env: 'development' | 'test' | 'production';
  publicBaseUrl: string;
  razorpayKeyId: string;
  razorpayKeySecret: string;
  /** Current first, then the previous one during a rotation. */
  webhookSecrets: string[];
  /** The checkout script the browser loads: Razorpay's own, or the emulator's. */
  checkoutScriptUrl: string;
  /** False when PAYMENTS_ENABLED=false: overrides the stored payments flag, so no checkout or plan change may start. */
  paymentsEnabled: boolean;
};

/** Everything a service verb may use, injected by src/main.ts. */
export type ServiceContext = {
  database: DatabasePort;
  migrations: MigrationsPort;
  planCatalog: PlanCatalogPort;
  repos: Repos;
  transaction: UnitOfWork;
  gateway: RazorpayGateway;
  accounts: AccountsPort;
  signatures: SignaturesPort;
  flags: FlagsPort;
  backups: BackupsPort;
  settings: BillingSettings;
  /** The incident policy (polaris.policy.json or the runbook's defaults), read once at boot. */
  policy: Policy;
  /** The notification channels configured at boot (SMTP, Slack, signed webhook, console). */
  notifications: NotificationsPort;
  log: Logger;
  now: () => Date;
};
