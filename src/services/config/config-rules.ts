/** The environment a check judges against. */
export type TargetEnv = 'development' | 'test' | 'production';

/** One line of `polaris config check`: what was checked, the outcome, and the fix when it failed. */
export type ConfigCheck = {
  name: string;
  status: 'ok' | 'fail' | 'skip';
  detail: string;
  fix?: string;
};

/**
 * The configuration as parsed for `target`: each value only when usable (undefined when unset, or
 * unset in production where Polaris never generates one), and each variable that failed to parse.
 */
export type ConfigFacts = {
  target: TargetEnv;
  /** POLARIS_ENV as set in the environment (the check runs as if it were `target`). */
  polarisEnv: string | undefined;
  invalid: { variable: string; message: string }[];
  keyId: string | undefined;
  keySecret: string | undefined;
  webhookSecret: string | undefined;
  webhookSecretPrevious: string | undefined;
  authSecret: string | undefined;
  adminToken: string | undefined;
  publicBaseUrl: string | undefined;
  databaseUrl: string | undefined;
  smtpUrl: string | undefined;
  razorpayApiUrl: string | undefined;
};

/** Razorpay key ids: the mode, then 14 letters and digits (the original validator refused valid ones). */
export const LIVE_KEY_ID = /^rzp_live_[A-Za-z0-9]{14}$/;
const ANY_KEY_ID = /^rzp_(test|live)_[A-Za-z0-9]+$/;
const MIN_SECRET = 32;

const ok = (name: string, detail: string): ConfigCheck => ({ name, status: 'ok', detail });
const fail = (name: string, detail: string, fix: string): ConfigCheck => ({
  name,
  status: 'fail',
  detail,
  fix,
});

/** Whether a key id's mode suits the environment: live in production, test elsewhere. */
export function keyMode(keyId: string): 'live' | 'test' {
  return keyId.startsWith('rzp_live_') ? 'live' : 'test';
}

function keyIdCheck(f: ConfigFacts): ConfigCheck {
  const name = 'RAZORPAY_KEY_ID';
  const id = f.keyId;
  if (f.target === 'production') {
    if (!id) return fail(name, 'not set', 'set RAZORPAY_KEY_ID to the live key id from Dashboard → API Keys');
    if (LIVE_KEY_ID.test(id)) return ok(name, 'a live key id (rzp_live_ and 14 letters or digits)');
    return fail(
      name,
      id.startsWith('rzp_live_')
        ? `rzp_live_ followed by ${id.length - 9} characters; a key id has 14 letters or digits`
        : 'not a live key id (production takes rzp_live_…)',
      'copy the live key id from Razorpay Dashboard → API Keys (live mode)',
    );
  }
  if (!id) return ok(name, 'unset: the development keys in the data folder');
  if (!ANY_KEY_ID.test(id)) return fail(name, 'not an rzp_test_… key id', 'use a test key id (rzp_test_…)');
  if (keyMode(id) === 'live') {
    return fail(name, `a live key id in ${f.target}`, 'use a test key id (rzp_test_…) outside production');
  }
  return ok(name, 'a test key id');
}

function secretsChecks(f: ConfigFacts, same: (a: string, b: string) => boolean): ConfigCheck[] {
  const prod = f.target === 'production';
  const checks: ConfigCheck[] = [];
  checks.push(
    f.keySecret
      ? ok('RAZORPAY_KEY_SECRET', 'set')
      : prod
        ? fail('RAZORPAY_KEY_SECRET', 'not set', 'set it to the secret shown with the key id in Razorpay')
        : ok('RAZORPAY_KEY_SECRET', 'unset: the development keys in the data folder'),
  );
  const w = f.webhookSecret;
  if (!w) {
    checks.push(
      prod
        ? fail(
            'RAZORPAY_WEBHOOK_SECRET',
            'not set',
            "set it to the secret of the webhook in Razorpay's Dashboard (Webhooks)",
          )
        : ok('RAZORPAY_WEBHOOK_SECRET', 'unset: the development secret in the data folder'),
    );
  } else if (f.keySecret && same(w, f.keySecret)) {
    checks.push(
      fail(
        'RAZORPAY_WEBHOOK_SECRET',
        'the same as RAZORPAY_KEY_SECRET',
        'give the webhook its own secret (openssl rand -hex 32); see polaris secrets rotate-webhook',
      ),
    );
  } else {
    const rotation = f.webhookSecretPrevious ? '; a previous one is kept (rotation in progress)' : '';
    checks.push(ok('RAZORPAY_WEBHOOK_SECRET', `set, different from the key secret${rotation}`));
  }
  return checks;
}

function lengthCheck(name: string, value: string | undefined, required: boolean, unset: string): ConfigCheck {
  if (value === undefined) {
    return required
      ? fail(name, 'not set', `set ${name} to ${MIN_SECRET}+ random characters (openssl rand -hex 32)`)
      : ok(name, unset);
  }
  if (value.length >= MIN_SECRET) return ok(name, `${value.length} characters`);
  return fail(
    name,
    `${value.length} characters; at least ${MIN_SECRET} needed`,
    `set ${name} to ${MIN_SECRET}+ random characters (openssl rand -hex 32)`,
  );
}

function baseUrlCheck(f: ConfigFacts): ConfigCheck {
  const name = 'PUBLIC_BASE_URL';
  const url = f.publicBaseUrl;
  if (f.target !== 'production') return ok(name, url ? `${new URL(url).origin}` : 'unset: http://localhost');
  if (!url) return fail(name, 'not set', 'set it to the public https:// address users reach');
  if (new URL(url).protocol !== 'https:') {
    return fail(
      name,
      `${new URL(url).origin} is not https`,
      'serve Polaris over https and set the https:// URL',
    );
  }
  return ok(name, new URL(url).origin);
}

function envCheck(f: ConfigFacts): ConfigCheck {
  const name = 'POLARIS_ENV';
  if (f.target === 'production' && f.polarisEnv !== 'production') {
    return fail(
      name,
      f.polarisEnv ? `is ${f.polarisEnv}` : 'not set (the server would run as development)',
      'set POLARIS_ENV=production on the host',
    );
  }
  return ok(name, f.polarisEnv ?? `unset (${f.target})`);
}

/**
 * The checks that need no network: one per variable, judged by the target's rules (production:
 * live keys, every secret set, https; elsewhere: test keys and http are fine). A variable that
 * failed to parse is one ✗ with its message, and replaces the check of that variable.
 */
export function staticChecks(f: ConfigFacts, same: (a: string, b: string) => boolean): ConfigCheck[] {
  const prod = f.target === 'production';
  const checks = [
    envCheck(f),
    keyIdCheck(f),
    ...secretsChecks(f, same),
    lengthCheck('AUTH_SECRET', f.authSecret, prod, 'unset: generated in the data folder'),
    baseUrlCheck(f),
    lengthCheck('ADMIN_TOKEN', f.adminToken, prod, 'unset: the admin API takes admin sessions only'),
  ];
  const bad = (i: ConfigFacts['invalid'][number]) =>
    fail(i.variable, `cannot be read: ${i.message}`, `correct ${i.variable} (README: Configuration)`);
  const replaced = checks.map((c) => {
    const issue = f.invalid.find((i) => i.variable === c.name);
    return issue ? bad(issue) : c;
  });
  const others = f.invalid.filter((i) => !checks.some((c) => c.name === i.variable));
  return [...others.map(bad), ...replaced];
}
