import type { HttpProbe } from '../../adapters/http-probe.ts';
import type { AlertSpool } from '../../domain/alert-rules.ts';
import type { Result } from '../../domain/errors.ts';
import type { LoadedPolicy } from '../../domain/policy.ts';
import type { VerifyDatabase } from '../../services/backups/restore-backup.ts';
import type { ConfigReport } from '../../services/config/check-config.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { GameDayLab, GameDaySeams } from '../../services/game-day/game-day-types.ts';
import type { RestorationSeams } from '../../services/restore-check/restoration-report.ts';
import type {
  RotateWebhookSecretContext,
  RotateWebhookSecretInput,
} from '../../services/secrets/rotate-webhook-secret.ts';
import type {
  SmokeAccount,
  SmokeContext,
  SmokePurchasePort,
  SmokeReport,
} from '../../services/smoke/smoke-report.ts';

/** What CLI commands get from the composition root (src/main.ts). */
export type CliRuntime = {
  /** The URL psql can use for the configured database, and a note when nothing serves it now. */
  databaseUrl: () => { url: string; note?: string };
  /** Opens the database as a client (or owns the embedded folder when no server runs), runs, closes. */
  withContext: <T>(work: (ctx: ServiceContext) => Promise<T>) => Promise<T>;
  /**
   * Takes a backup for `db rollback` before it drops anything (services/backups/take-backup.ts);
   * absent, `db rollback` refuses unless --no-backup.
   */
  backupBeforeRollback?: (
    ctx: ServiceContext,
    label: string,
  ) => Promise<Result<{ id: string; path: string }>>;
  /** Where this host spools a database-unreachable alert (POLARIS_DATA_DIR/alerts); `polaris alerts` shows it. */
  alertSpool?: () => AlertSpool;
  /** The incident policy (POLICY_FILE or the defaults); AppError bad_request naming the bad field. */
  policy: () => LoadedPolicy;
  /** Like withContext, on another database (`db restore --target URL`); backups stay in the configured folder. */
  withContextAt?: <T>(url: string, work: (ctx: ServiceContext) => Promise<T>) => Promise<T>;
  /** `db verify` for `db restore` to run after the rows are back; unset until the verify service is wired. */
  verifyDatabase?: VerifyDatabase;
  /** Runs the server and its inbox worker until a signal arrives (after the policy validates). */
  startServer: () => Promise<void>;
  /** Runs the inbox worker alone until a signal arrives. */
  runWorker: () => Promise<void>;
  /** `polaris config check`: reads the environment itself, so it runs even when it does not parse. */
  checkConfig: (target: string, offline: boolean) => Promise<ConfigReport>;
  secrets: {
    /** The configured webhook secrets, and what a rotation changes (dev-secrets.json, the emulator). */
    rotation: () => { ctx: RotateWebhookSecretContext; input: RotateWebhookSecretInput };
  };
  /** `polaris smoke` (src/wiring/smoke.ts). */
  smoke: {
    /** The smoke account from SMOKE_EMAIL and SMOKE_PASSWORD, when both are set. */
    account: SmokeAccount | undefined;
    /** HTTP to the instance at `url`, and the clocks a run is timed with. */
    context: (url: string) => SmokeContext;
    /** Pays and refunds for --full through the configured Razorpay API. */
    purchase: () => SmokePurchasePort;
    /** Records a finished run when a database is configured; otherwise says why it was not. */
    record: (
      report: SmokeReport,
    ) => Promise<{ recorded: true; id: string } | { recorded: false; reason: string }>;
  };
  /** `polaris drill incident`: a scratch world beside the live database (src/wiring/game-day.ts). */
  gameDay?: {
    open: (
      live: ServiceContext,
    ) => Promise<{ ctx: ServiceContext; lab: GameDayLab; close: () => Promise<void> }>;
    seams: GameDaySeams;
  };
  /** `polaris restore-check`: the default instance URL, HTTP to it, and the seams other parts fill. */
  restoreCheck: { defaultUrl: string; probe: (url: string) => HttpProbe; seams: RestorationSeams };
  emulator: {
    /** Runs the emulator alone until a signal; `ready` receives its URL and keys. */
    start: (options: EmulatorStartOptions, ready: (info: EmulatorInfo) => void) => Promise<void>;
    /** POSTs to a control route of the running emulator; a Razorpay error becomes AppError. */
    control: (path: string, body: unknown, url?: string) => Promise<unknown>;
  };
};

export type EmulatorStartOptions = {
  port?: number | undefined;
  keyId?: string | undefined;
  keySecret?: string | undefined;
  webhookUrl?: string | undefined;
  webhookSecret?: string | undefined;
};
export type EmulatorInfo = { url: string; keyId: string; keySecret: string; webhookUrl?: string | undefined };
