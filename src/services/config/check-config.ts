import { type ConfigCheck, type ConfigFacts, keyMode, staticChecks } from './config-rules.ts';

/** What a probe answers: reachable (with a detail), or why not, already free of secrets. */
export type ProbeResult = { ok: true; detail: string } | { ok: false; detail: string; fix: string };

/** The network probes of a config check (src/wiring/config-check.ts implements them). */
export type ConfigProbes = {
  /** Connects to DATABASE_URL and reads whether every migration is applied and the schema matches. */
  database(url: string): Promise<ProbeResult>;
  /** Opens a TCP connection to the SMTP server, with a timeout. */
  smtp(url: string): Promise<ProbeResult>;
  /** One cheap authenticated GET (GET /v1/plans?count=1) with the key id and secret. */
  razorpay(baseUrl: string, keyId: string, keySecret: string): Promise<ProbeResult>;
};

/** Every check's line, and whether all passed. */
export type ConfigReport = { ok: boolean; target: ConfigFacts['target']; checks: ConfigCheck[] };

function fromProbe(name: string, result: ProbeResult): ConfigCheck {
  return result.ok
    ? { name, status: 'ok', detail: result.detail }
    : { name, status: 'fail', detail: result.detail, fix: result.fix };
}

async function databaseCheck(f: ConfigFacts, probes: ConfigProbes): Promise<ConfigCheck> {
  const name = 'DATABASE_URL';
  if (!f.databaseUrl) {
    return f.target === 'production'
      ? {
          name,
          status: 'fail',
          detail: 'not set: production would have no database (the embedded one is for development)',
          fix: 'set DATABASE_URL=postgresql://user:password@host:5432/database',
        }
      : { name, status: 'ok', detail: 'unset: the embedded database in the data folder' };
  }
  return fromProbe(name, await probes.database(f.databaseUrl));
}

async function razorpayCheck(f: ConfigFacts, probes: ConfigProbes, offline: boolean): Promise<ConfigCheck> {
  const name = 'Razorpay API';
  if (offline) return { name, status: 'skip', detail: 'not contacted (--offline)' };
  const usable = !f.invalid.some((i) => i.variable.startsWith('RAZORPAY_KEY_'));
  if (!f.keyId || !f.keySecret || !f.razorpayApiUrl || !usable) {
    return { name, status: 'skip', detail: 'not contacted: needs a usable key id and secret' };
  }
  const mode = keyMode(f.keyId);
  const wanted = f.target === 'production' ? 'live' : 'test';
  if (mode !== wanted) {
    return {
      name,
      status: 'fail',
      detail: `not contacted: a ${mode} key in ${f.target}`,
      fix: `use the ${wanted} mode keys`,
    };
  }
  const result = await probes.razorpay(f.razorpayApiUrl, f.keyId, f.keySecret);
  return fromProbe(name, result.ok ? { ...result, detail: `${result.detail} (${mode} mode)` } : result);
}

/** Replaces every configured secret (and any database or SMTP password) with *** in each line. */
function scrubbed(checks: ConfigCheck[], f: ConfigFacts): ConfigCheck[] {
  const passwords = [f.databaseUrl, f.smtpUrl].map((u) => {
    try {
      return u ? decodeURIComponent(new URL(u).password) : '';
    } catch {
      return '';
    }
  });
  const secrets = [f.keySecret, f.webhookSecret, f.webhookSecretPrevious, f.authSecret, f.adminToken]
    .concat(passwords)
    .filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join('***'), text);
  return checks.map((c) => ({
    ...c,
    detail: scrub(c.detail),
    ...(c.fix === undefined ? {} : { fix: scrub(c.fix) }),
  }));
}

/**
 * `polaris config check`: each variable judged by the target environment's rules, then the
 * database (reachable, migrations current), SMTP when set and, unless offline, Razorpay with the
 * keys. Never a secret in the report: values are named, measured or fingerprinted, never shown.
 */
export async function checkConfig({
  ctx,
  input,
}: {
  /** `sameSecret`: the constant-time comparison of two secrets (adapters/auth/tokens.ts in production). */
  ctx: { probes: ConfigProbes; sameSecret: (a: string, b: string) => boolean };
  input: { facts: ConfigFacts; offline: boolean };
}): Promise<ConfigReport> {
  const f = input.facts;
  const checks = staticChecks(f, ctx.sameSecret);
  checks.push(await databaseCheck(f, ctx.probes));
  if (f.smtpUrl) checks.push(fromProbe('SMTP_URL', await ctx.probes.smtp(f.smtpUrl)));
  else {
    const detail =
      f.target === 'production'
        ? 'unset: email deliveries (pages, status subscribers) fail, naming SMTP_URL; Slack, webhooks and the log still deliver'
        : 'unset: email is written to the log instead';
    checks.push({ name: 'SMTP_URL', status: 'ok', detail });
  }
  checks.push(await razorpayCheck(f, ctx.probes, input.offline));
  const report = scrubbed(checks, f);
  return { ok: report.every((c) => c.status !== 'fail'), target: f.target, checks: report };
}
