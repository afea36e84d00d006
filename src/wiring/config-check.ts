import { connect } from 'node:net';
import { tokensMatch } from '../adapters/auth/tokens.ts';
import { connectionError, createKysely, redactUrl, verifyConnection } from '../adapters/db/connection.ts';
import { Migrator } from '../adapters/db/migrator.ts';
import { createHttpGateway } from '../adapters/razorpay/http-gateway.ts';
import { type Config, inspectConfig } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { type ConfigReport, checkConfig, type ProbeResult } from '../services/config/check-config.ts';
import type { ConfigFacts, TargetEnv } from '../services/config/config-rules.ts';
import { getMigrationStatus } from '../services/db/get-migration-status.ts';
import { readDevSecrets } from './dev-secrets.ts';

const PROBE_TIMEOUT_MS = 5_000;
const TARGETS: readonly TargetEnv[] = ['development', 'test', 'production'];

/** The environment's facts for `target`: production takes only what is set; elsewhere the data folder fills in. */
export function configFacts(target: TargetEnv, env?: Record<string, string | undefined>): ConfigFacts {
  const { config, issues, set, polarisEnv } = inspectConfig(target, env, readDevSecrets);
  const has = (name: string) => target !== 'production' || set.includes(name);
  const pick = <T>(name: string, value: T) => (has(name) ? value : undefined);
  const r = config.razorpay;
  return {
    target,
    polarisEnv,
    invalid: issues,
    keyId: pick('RAZORPAY_KEY_ID', r.keyId),
    keySecret: pick('RAZORPAY_KEY_SECRET', r.keySecret),
    webhookSecret: pick('RAZORPAY_WEBHOOK_SECRET', r.webhookSecret),
    webhookSecretPrevious: r.webhookSecretPrevious,
    authSecret: pick('AUTH_SECRET', config.authSecret),
    adminToken: config.adminToken,
    publicBaseUrl: set.includes('PUBLIC_BASE_URL') ? config.publicBaseUrl : undefined,
    databaseUrl: config.database.kind === 'postgres' ? config.database.url : undefined,
    smtpUrl: config.smtpUrl,
    razorpayApiUrl: razorpayUrl(config),
  };
}

const razorpayUrl = (config: Config) => config.razorpay.apiUrl ?? `http://127.0.0.1:${config.emulatorPort}`;

async function probeDatabase(url: string): Promise<ProbeResult> {
  const handle = createKysely(url, { max: 1 });
  try {
    await verifyConnection(handle.db, url);
    const status = await getMigrationStatus({ ctx: { migrations: new Migrator(handle.db) } });
    const applied = status.migrations.filter((m) => m.state === 'applied').length;
    if (status.current)
      return {
        ok: true,
        detail: `${redactUrl(url)}: reachable, ${applied} migrations applied, schema current`,
      };
    const off = status.migrations.filter((m) => m.state !== 'applied').map((m) => `${m.name} ${m.state}`);
    return {
      ok: false,
      detail: `${redactUrl(url)}: reachable, migrations not current (${off.length > 0 ? off.join(', ') : 'the schema differs from what they leave'})`,
      fix: 'run npx polaris db status, then npx polaris db migrate (RUNBOOK.md: Database)',
    };
  } catch (error) {
    const reason =
      error instanceof AppError && error.code === 'database_unavailable'
        ? error
        : connectionError(url, error);
    return {
      ok: false,
      detail: reason.message,
      fix: 'check DATABASE_URL, that the server runs and that this host may reach it',
    };
  } finally {
    await handle.db.destroy().catch(() => {});
  }
}

function probeSmtp(url: string): Promise<ProbeResult> {
  const u = new URL(url);
  const port = Number(u.port) || (u.protocol === 'smtps:' ? 465 : 587);
  const where = `${u.hostname}:${port}`;
  const fix = 'check SMTP_URL and that this host may reach the mail server';
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname, port, timeout: PROBE_TIMEOUT_MS });
    const done = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done({ ok: true, detail: `${where} accepts connections` }));
    socket.once('timeout', () =>
      done({ ok: false, detail: `${where}: no answer within ${PROBE_TIMEOUT_MS} ms`, fix }),
    );
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({ ok: false, detail: `${where}: ${error.code ?? 'connection failed'}`, fix }),
    );
  });
}

async function probeRazorpay(baseUrl: string, keyId: string, keySecret: string): Promise<ProbeResult> {
  const gateway = createHttpGateway({ baseUrl, keyId, keySecret, retries: 0, timeoutMs: PROBE_TIMEOUT_MS });
  const answer = await gateway.listPlans({ count: 1 });
  const where = new URL(baseUrl).origin;
  if (answer.ok) return { ok: true, detail: `GET ${where}/v1/plans?count=1 answered 200 with the keys` };
  const e = answer.error;
  if (e.kind === 'api' && e.statusCode === 401) {
    return {
      ok: false,
      detail: `GET ${where}/v1/plans answered 401 (${e.description}): Razorpay refuses this key id and secret`,
      fix: 'copy the key id and secret together from Razorpay Dashboard → API Keys (regenerate if compromised)',
    };
  }
  const status = e.kind === 'api' ? `answered ${e.statusCode} ${e.code}` : `failed (${e.reason})`;
  return {
    ok: false,
    detail: `GET ${where}/v1/plans ${status}`,
    fix: 'check RAZORPAY_API_URL and the network to Razorpay',
  };
}

/** `polaris config check`: the environment judged for `target`, with real probes. */
export function runConfigCheck(target: string, offline: boolean): Promise<ConfigReport> {
  if (!TARGETS.includes(target as TargetEnv)) {
    throw new AppError('bad_request', `--env must be development, test or production; got "${target}"`);
  }
  const facts = configFacts(target as TargetEnv);
  return checkConfig({
    ctx: {
      probes: { database: probeDatabase, smtp: probeSmtp, razorpay: probeRazorpay },
      sameSecret: tokensMatch,
    },
    input: { facts, offline },
  });
}
