import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const postgresUrl = z.string().refine(
  (v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
    } catch {
      return false;
    }
  },
  { message: 'must be a postgresql://user:password@host:port/database URL' },
);

const commitSha = z
  .string()
  .regex(/^[0-9a-fA-F]{7,40}$/, 'must be a git commit id (7 to 40 hex digits)')
  .transform((v) => v.toLowerCase());

function isAddressOrRange(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** The environment Polaris reads: every variable, with its default (DESIGN §5). */
export const EnvSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  POLARIS_DATA_DIR: z.string().min(1).default('./.polaris'),
  BACKUP_DIR: z.string().min(1).optional(),
  POLARIS_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: port.default(3000),
  // Unset: http://localhost:<PORT>, so links and the Origin check follow the port in development.
  PUBLIC_BASE_URL: z.url().optional(),
  POLARIS_DB_PORT: port.default(5433),
  POLARIS_EMULATOR_PORT: port.default(4010),
  RAZORPAY_KEY_ID: z
    .string()
    .regex(/^rzp_(test|live)_[A-Za-z0-9]+$/, 'must look like rzp_test_… or rzp_live_…')
    .optional(),
  RAZORPAY_KEY_SECRET: z.string().min(8).optional(),
  RAZORPAY_WEBHOOK_SECRET: z.string().min(8).optional(),
  RAZORPAY_WEBHOOK_SECRET_PREVIOUS: z.string().min(8).optional(),
  RAZORPAY_API_URL: z.url().optional(),
  PAYMENTS_ENABLED: bool.optional(),
  NEXT_PUBLIC_ENABLE_PAYMENTS: bool.optional(),
  SMTP_URL: z.url().optional(),
  SLACK_WEBHOOK_URL: z.url().optional(),
  ALERT_EMAIL: z.email().optional(),
  NOTIFY_FROM: z
    .string()
    .regex(
      /^([^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/,
      'must be an address, or a name and <address>',
    )
    .optional(),
  NOTIFY_WEBHOOK_URL: z.url().optional(),
  NOTIFY_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  ADMIN_TOKEN: z.string().min(16).optional(),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(100).default(10),
  TRUSTED_PROXIES: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== ''),
    )
    .refine((list) => list.every(isAddressOrRange), 'must be IP addresses or CIDR ranges, comma-separated')
    .optional(),
  SIGN_IN_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(5),
  SIGN_IN_RATE_LIMIT_WINDOW: z.coerce.number().int().min(1).max(86_400).default(60),
  SIGN_UP_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(3),
  SIGN_UP_RATE_LIMIT_WINDOW: z.coerce.number().int().min(1).max(86_400).default(60),
  REQUEST_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  POLARIS_COMMIT: commitSha.optional(),
  VERCEL_GIT_COMMIT_SHA: commitSha.optional(),
  VERCEL_URL: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, 'must be a host name such as polaris-abc.vercel.app')
    .optional(),
  CRON_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SMOKE_EMAIL: z.email().optional(),
  SMOKE_PASSWORD: z.string().min(1).optional(),
  POLICY_FILE: z.string().min(1).optional(),
});

/** Parsed, validated configuration; built once at boot and injected everywhere else. */
export type Config = {
  env: 'development' | 'test' | 'production';
  port: number;
  publicBaseUrl: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Unset means: pretty on a terminal outside production, JSON otherwise. */
  logFormat: z.infer<typeof EnvSchema>['LOG_FORMAT'];
  database:
    | { kind: 'postgres'; url: string; poolMax: number }
    | { kind: 'embedded'; dataDir: string; port: number };
  dataDir: string;
  emulatorPort: number;
  razorpay: {
    keyId: string;
    keySecret: string;
    webhookSecret: string;
    webhookSecretPrevious: string | undefined;
    /** Where the webhook secrets come from: the environment, or the data folder's dev-secrets.json. */
    webhookSecretSource: 'environment' | 'data folder';
    /** Unset means: run the embedded emulator and talk to it. */
    apiUrl: string | undefined;
  };
  paymentsEnabledOverride: boolean | undefined;
  smtpUrl: string | undefined;
  slackWebhookUrl: string | undefined;
  alertEmail: string | undefined;
  /** The sender of notification mail (NOTIFY_FROM), also the Support line users see. */
  notifyFrom: string;
  /** The generic signed webhook (NOTIFY_WEBHOOK_URL with NOTIFY_WEBHOOK_SECRET), if configured. */
  notifyWebhook: { url: string; secret: string } | undefined;
  adminToken: string | undefined;
  /** Signs session cookies (better-auth's secret); generated per data folder in development. */
  authSecret: string;
  /** Proxies whose X-Forwarded-For names the client (rate limits key on the client's address). */
  trustedProxies: string[];
  /** Days of request_logs the server keeps; older rows are pruned periodically. */
  requestLogRetentionDays: number;
  /** Attempts per client address within a window of seconds, in every environment. */
  authRateLimits: {
    signIn: { max: number; windowSeconds: number };
    signUp: { max: number; windowSeconds: number };
  };
  /** What `deployments` records about this build: POLARIS_COMMIT, else Vercel's own variables. */
  release: { commit: string | undefined; deploymentUrl: string | undefined };
  /** Bearer token the scheduler (Vercel Cron) sends to /api/cron/tick; unset refuses every tick. */
  cronSecret: string | undefined;
  /** The account `polaris smoke` signs in with (SMOKE_EMAIL, SMOKE_PASSWORD); unset skips that step. */
  smokeAccount: { email: string; password: string } | undefined;
  /** The incident policy file; a missing file means the built-in defaults unless POLICY_FILE named it. */
  policyFile: { path: string; explicit: boolean };
  /** Where `db backup` writes dumps and manifests: BACKUP_DIR, else POLARIS_DATA_DIR/backups. */
  backupDir: string;
};

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Development keys are generated per data folder so nothing needs configuring; see devSecrets. */
function devSecret(label: string): string {
  return `${label}_${randomBytes(12).toString('hex')}`;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid configuration';
  const name = issue.path.join('.') || 'environment';
  return `${name}: ${issue.message}`;
}

/**
 * Reads and validates the environment once; throws ConfigError naming the first bad variable.
 * `devSecrets` supplies stable generated keys for development and test when none are set.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  devSecrets?: DevSecrets,
): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(firstIssue(parsed.error));
  const e = parsed.data;

  if (e.POLARIS_ENV === 'production') {
    const missing = [
      'RAZORPAY_KEY_ID',
      'RAZORPAY_KEY_SECRET',
      'RAZORPAY_WEBHOOK_SECRET',
      'DATABASE_URL',
      'AUTH_SECRET',
    ].find((k) => cleaned[k] === undefined);
    if (missing) throw new ConfigError(`${missing}: required when POLARIS_ENV=production`);
    if (!e.RAZORPAY_KEY_ID?.startsWith('rzp_live_')) {
      throw new ConfigError('RAZORPAY_KEY_ID: production requires an rzp_live_ key');
    }
  }
  if ((e.RAZORPAY_KEY_ID === undefined) !== (e.RAZORPAY_KEY_SECRET === undefined)) {
    throw new ConfigError('RAZORPAY_KEY_SECRET: set RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET together');
  }
  if (
    e.PAYMENTS_ENABLED !== undefined &&
    e.NEXT_PUBLIC_ENABLE_PAYMENTS !== undefined &&
    e.PAYMENTS_ENABLED !== e.NEXT_PUBLIC_ENABLE_PAYMENTS
  ) {
    throw new ConfigError('PAYMENTS_ENABLED: disagrees with its alias NEXT_PUBLIC_ENABLE_PAYMENTS');
  }
  if ((e.SMOKE_EMAIL === undefined) !== (e.SMOKE_PASSWORD === undefined)) {
    throw new ConfigError('SMOKE_PASSWORD: set SMOKE_EMAIL and SMOKE_PASSWORD together');
  }
  if ((e.NOTIFY_WEBHOOK_URL === undefined) !== (e.NOTIFY_WEBHOOK_SECRET === undefined)) {
    throw new ConfigError('NOTIFY_WEBHOOK_SECRET: set NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_SECRET together');
  }

  return buildConfig(e, devSecrets);
}

type DevSecrets = (dataDir: string) => {
  keyId: string;
  keySecret: string;
  webhookSecret: string;
  webhookSecretPrevious?: string;
  authSecret?: string;
};

/** One variable that cannot be used, and why (never its value). */
export type ConfigIssue = { variable: string; message: string };

/**
 * What `polaris config check` reads: the environment as it would run under `target`, every bad
 * variable (each one, not the first), and the configuration built from the variables that parse.
 */
export function inspectConfig(
  target: Config['env'],
  env: Record<string, string | undefined> = process.env,
  devSecrets?: DevSecrets,
): { config: Config; issues: ConfigIssue[]; set: string[]; polarisEnv: string | undefined } {
  const cleaned: Record<string, string> = Object.fromEntries(
    Object.entries(env).filter((kv): kv is [string, string] => kv[1] !== undefined && kv[1] !== ''),
  );
  const polarisEnv = cleaned.POLARIS_ENV;
  const candidate: Record<string, string> = { ...cleaned, POLARIS_ENV: target };
  const issues: ConfigIssue[] = [];
  const parsed = EnvSchema.safeParse(candidate);
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const variable = String(issue.path[0] ?? 'environment');
    if (!issues.some((i) => i.variable === variable)) issues.push({ variable, message: issue.message });
    delete candidate[variable];
  }
  const e = EnvSchema.parse(candidate);
  if ((e.RAZORPAY_KEY_ID === undefined) !== (e.RAZORPAY_KEY_SECRET === undefined)) {
    const missing = e.RAZORPAY_KEY_ID === undefined ? 'RAZORPAY_KEY_ID' : 'RAZORPAY_KEY_SECRET';
    issues.push({ variable: missing, message: 'set RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET together' });
  }
  const set = Object.keys(candidate).filter((k) => k in EnvSchema.shape && k !== 'POLARIS_ENV');
  return {
    config: buildConfig(e, target === 'production' ? undefined : devSecrets),
    issues,
    set,
    polarisEnv,
  };
}

function buildConfig(e: z.infer<typeof EnvSchema>, devSecrets: DevSecrets | undefined): Config {
  const dataDir = resolve(e.POLARIS_DATA_DIR);
  const needsGenerated = !e.RAZORPAY_KEY_ID || !e.RAZORPAY_WEBHOOK_SECRET || !e.AUTH_SECRET;
  const stored = needsGenerated ? devSecrets?.(dataDir) : undefined;
  const generated = {
    keyId: `rzp_test_${randomBytes(7).toString('hex')}`,
    keySecret: devSecret('secret'),
    webhookSecret: devSecret('whsec'),
    ...stored,
    // Folders made before AUTH_SECRET existed have none stored: generate one (main.ts persists it).
    authSecret: stored?.authSecret ?? randomBytes(32).toString('base64url'),
  };
  return {
    env: e.POLARIS_ENV,
    port: e.PORT,
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX }
      : { kind: 'embedded', dataDir, port: e.POLARIS_DB_PORT },
    dataDir,
    emulatorPort: e.POLARIS_EMULATOR_PORT,
    razorpay: {
      keyId: e.RAZORPAY_KEY_ID ?? generated.keyId,
      keySecret: e.RAZORPAY_KEY_SECRET ?? generated.keySecret,
      webhookSecret: e.RAZORPAY_WEBHOOK_SECRET ?? generated.webhookSecret,
      // A development rotation keeps the previous secret beside the current one in the data folder.
      webhookSecretPrevious:
        e.RAZORPAY_WEBHOOK_SECRET_PREVIOUS ??
        (e.RAZORPAY_WEBHOOK_SECRET ? undefined : generated.webhookSecretPrevious),
      webhookSecretSource: e.RAZORPAY_WEBHOOK_SECRET ? 'environment' : 'data folder',
      apiUrl: e.RAZORPAY_API_URL ?? (e.POLARIS_ENV === 'production' ? 'https://api.razorpay.com' : undefined),
    },
    paymentsEnabledOverride: e.PAYMENTS_ENABLED ?? e.NEXT_PUBLIC_ENABLE_PAYMENTS,
    smtpUrl: e.SMTP_URL,
    slackWebhookUrl: e.SLACK_WEBHOOK_URL,
    alertEmail: e.ALERT_EMAIL,
    notifyFrom:
      e.NOTIFY_FROM ??
      `SmartSlate Status <status@${new URL(e.PUBLIC_BASE_URL ?? 'http://localhost').hostname}>`,
    notifyWebhook:
      e.NOTIFY_WEBHOOK_URL && e.NOTIFY_WEBHOOK_SECRET
        ? { url: e.NOTIFY_WEBHOOK_URL, secret: e.NOTIFY_WEBHOOK_SECRET }
        : undefined,
    adminToken: e.ADMIN_TOKEN,
    authSecret: e.AUTH_SECRET ?? generated.authSecret,
    trustedProxies: e.TRUSTED_PROXIES ?? [],
    requestLogRetentionDays: e.REQUEST_LOG_RETENTION_DAYS,
    authRateLimits: {
      signIn: { max: e.SIGN_IN_RATE_LIMIT_MAX, windowSeconds: e.SIGN_IN_RATE_LIMIT_WINDOW },
      signUp: { max: e.SIGN_UP_RATE_LIMIT_MAX, windowSeconds: e.SIGN_UP_RATE_LIMIT_WINDOW },
    },
    release: { commit: e.POLARIS_COMMIT ?? e.VERCEL_GIT_COMMIT_SHA, deploymentUrl: e.VERCEL_URL },
    cronSecret: e.CRON_SECRET,
    smokeAccount:
      e.SMOKE_EMAIL && e.SMOKE_PASSWORD ? { email: e.SMOKE_EMAIL, password: e.SMOKE_PASSWORD } : undefined,
    policyFile: {
      path: resolve(e.POLICY_FILE ?? 'polaris.policy.json'),
      explicit: e.POLICY_FILE !== undefined,
    },
    backupDir: e.BACKUP_DIR ? resolve(e.BACKUP_DIR) : join(dataDir, 'backups'),
  };
}
