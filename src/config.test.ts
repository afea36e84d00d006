import { describe, expect, it } from 'vitest';
import { ConfigError, inspectConfig, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives a working development configuration with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ env: 'development', port: 3000, emulatorPort: 4010 });
    expect(config.database).toMatchObject({ kind: 'embedded', port: 5433 });
    expect(config.razorpay.keyId).toMatch(/^rzp_test_/);
    expect(config.razorpay.apiUrl).toBeUndefined();
    expect(config.logFormat).toBeUndefined();
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
  });

  it('takes the public base URL from PORT unless PUBLIC_BASE_URL is set', () => {
    expect(loadConfig({}).publicBaseUrl).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '3900' }).publicBaseUrl).toBe('http://localhost:3900');
    expect(loadConfig({ PORT: '3900', PUBLIC_BASE_URL: 'https://polaris.example.com' }).publicBaseUrl).toBe(
      'https://polaris.example.com',
    );
  });

  it('rate-limits sign-in strictly by default in every environment, and reads the limits from the environment', () => {
    const strict = { signIn: { max: 5, windowSeconds: 60 }, signUp: { max: 3, windowSeconds: 60 } };
    expect(loadConfig({}).authRateLimits).toEqual(strict);
    expect(loadConfig({ POLARIS_ENV: 'test' }).authRateLimits).toEqual(strict);
    const tuned = loadConfig({
      SIGN_IN_RATE_LIMIT_MAX: '20',
      SIGN_IN_RATE_LIMIT_WINDOW: '300',
      SIGN_UP_RATE_LIMIT_MAX: '10',
      SIGN_UP_RATE_LIMIT_WINDOW: '3600',
    });
    expect(tuned.authRateLimits).toEqual({
      signIn: { max: 20, windowSeconds: 300 },
      signUp: { max: 10, windowSeconds: 3600 },
    });
  });

  it('uses DATABASE_URL when set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/app' }).database).toEqual({
      kind: 'postgres',
      url: 'postgresql://u:p@db:5432/app',
      poolMax: 10,
    });
    const sized = loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/app', DATABASE_POOL_MAX: '25' });
    expect(sized.database).toMatchObject({ poolMax: 25 });
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, ::1 ,192.0.2.7' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '::1',
      '192.0.2.7',
    ]);
    expect(loadConfig({}).trustedProxies).toEqual([]);
  });

  it('keeps 30 days of request log by default, or REQUEST_LOG_RETENTION_DAYS', () => {
    expect(loadConfig({}).requestLogRetentionDays).toBe(30);
    expect(loadConfig({ REQUEST_LOG_RETENTION_DAYS: '90' }).requestLogRetentionDays).toBe(90);
  });

  it.each([
    [{ DATABASE_URL: 'not a url' }, /^DATABASE_URL: /],
    [{ PORT: '70000' }, /^PORT: /],
    [{ POLARIS_ENV: 'staging' }, /^POLARIS_ENV: /],
    [{ RAZORPAY_KEY_ID: 'key_123' }, /^RAZORPAY_KEY_ID: /],
    [
      { RAZORPAY_KEY_ID: 'rzp_test_abc' },
      /^RAZORPAY_KEY_SECRET: set RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET together/,
    ],
    [{ PAYMENTS_ENABLED: 'maybe' }, /^PAYMENTS_ENABLED: /],
    [{ PAYMENTS_ENABLED: 'true', NEXT_PUBLIC_ENABLE_PAYMENTS: 'false' }, /^PAYMENTS_ENABLED: disagrees/],
    [{ POLARIS_ENV: 'production' }, /^RAZORPAY_KEY_ID: required when POLARIS_ENV=production/],
    [{ SIGN_IN_RATE_LIMIT_MAX: '0' }, /^SIGN_IN_RATE_LIMIT_MAX: /],
    [{ DATABASE_POOL_MAX: '1' }, /^DATABASE_POOL_MAX: /],
    [{ TRUSTED_PROXIES: '10.0.0.0/8, proxy.example' }, /^TRUSTED_PROXIES: must be IP addresses or CIDR/],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, /^TRUSTED_PROXIES: /],
    [{ SIGN_IN_RATE_LIMIT_WINDOW: 'soon' }, /^SIGN_IN_RATE_LIMIT_WINDOW: /],
    [{ LOG_FORMAT: 'text' }, /^LOG_FORMAT: /],
    [{ REQUEST_LOG_RETENTION_DAYS: '0' }, /^REQUEST_LOG_RETENTION_DAYS: /],
    [{ REQUEST_LOG_RETENTION_DAYS: 'forever' }, /^REQUEST_LOG_RETENTION_DAYS: /],
    [{ SMOKE_EMAIL: 'not-an-email' }, /^SMOKE_EMAIL: /],
    [{ SMOKE_EMAIL: 'smoke@example.com' }, /^SMOKE_PASSWORD: set SMOKE_EMAIL and SMOKE_PASSWORD together/],
    [{ NOTIFY_WEBHOOK_URL: 'https://hooks.example/x' }, /^NOTIFY_WEBHOOK_SECRET: set NOTIFY_WEBHOOK_URL and/],
    [
      { NOTIFY_WEBHOOK_URL: 'https://hooks.example/x', NOTIFY_WEBHOOK_SECRET: 'short' },
      /^NOTIFY_WEBHOOK_SECRET: /,
    ],
    [{ NOTIFY_FROM: 'no address here' }, /^NOTIFY_FROM: must be an address, or a name and <address>/],
    [{ SMTP_URL: 'not a url' }, /^SMTP_URL: /],
  ])('refuses %o naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('requires rzp_live_ keys in production and never generates secrets there', () => {
    const base = {
      POLARIS_ENV: 'production',
      DATABASE_URL: 'postgresql://u:p@db/app',
      RAZORPAY_KEY_SECRET: 'secret-secret',
      RAZORPAY_WEBHOOK_SECRET: 'whsec-whsec',
      AUTH_SECRET: 'auth-secret-0123456789abcdef-0123456789',
    };
    expect(() => loadConfig({ ...base, RAZORPAY_KEY_ID: 'rzp_test_abc' })).toThrow(/rzp_live_/);
    const config = loadConfig({ ...base, RAZORPAY_KEY_ID: 'rzp_live_abc' });
    expect(config.razorpay).toMatchObject({ keySecret: 'secret-secret', apiUrl: 'https://api.razorpay.com' });
    expect(config.authSecret).toBe(base.AUTH_SECRET);
    const { AUTH_SECRET: _, ...noAuth } = base;
    expect(() => loadConfig({ ...noAuth, RAZORPAY_KEY_ID: 'rzp_live_abc' })).toThrow(
      /^AUTH_SECRET: required when POLARIS_ENV=production/,
    );
    expect(() => loadConfig({ ...base, RAZORPAY_KEY_ID: 'rzp_live_abc', AUTH_SECRET: 'short' })).toThrow(
      /^AUTH_SECRET: must be at least 32 characters/,
    );
  });

  it('keeps a development AUTH_SECRET per data folder, and generates one for folders that lack it', () => {
    const stored = { keyId: 'rzp_test_abc', keySecret: 'k-secret-1', webhookSecret: 'w-secret-1' };
    const fresh = loadConfig({}, () => stored);
    expect(fresh.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(fresh.razorpay.keyId).toBe('rzp_test_abc');
    const kept = loadConfig({}, () => ({ ...stored, authSecret: 'kept-auth-secret-0123456789abcdef' }));
    expect(kept.authSecret).toBe('kept-auth-secret-0123456789abcdef');
  });

  it('takes a rotated development webhook secret and its previous from the data folder, never beside an env secret', () => {
    const stored = {
      keyId: 'rzp_test_abc',
      keySecret: 'k-secret-1',
      webhookSecret: 'w-secret-new',
      webhookSecretPrevious: 'w-secret-old',
    };
    const folder = loadConfig({}, () => stored).razorpay;
    expect(folder).toMatchObject({
      webhookSecret: 'w-secret-new',
      webhookSecretPrevious: 'w-secret-old',
      webhookSecretSource: 'data folder',
    });
    const env = loadConfig({ RAZORPAY_WEBHOOK_SECRET: 'env-secret-1' }, () => stored).razorpay;
    expect(env).toMatchObject({
      webhookSecret: 'env-secret-1',
      webhookSecretPrevious: undefined,
      webhookSecretSource: 'environment',
    });
  });

  it('reads the payments alias NEXT_PUBLIC_ENABLE_PAYMENTS', () => {
    expect(loadConfig({ NEXT_PUBLIC_ENABLE_PAYMENTS: 'false' }).paymentsEnabledOverride).toBe(false);
  });

  it("records POLARIS_COMMIT before Vercel's commit, lower-cased, and refuses a commit that is not hex", () => {
    const sha = 'ABCDEF0123456789abcdef0123456789abcdef01';
    expect(loadConfig({ VERCEL_GIT_COMMIT_SHA: sha, VERCEL_URL: 'polaris-x.vercel.app' }).release).toEqual({
      commit: sha.toLowerCase(),
      deploymentUrl: 'polaris-x.vercel.app',
    });
    expect(loadConfig({ POLARIS_COMMIT: 'abc1234', VERCEL_GIT_COMMIT_SHA: sha }).release.commit).toBe(
      'abc1234',
    );
    expect(loadConfig({}).release).toEqual({ commit: undefined, deploymentUrl: undefined });
    expect(() => loadConfig({ POLARIS_COMMIT: 'v1.2.3' })).toThrow(
      'POLARIS_COMMIT: must be a git commit id (7 to 40 hex digits)',
    );
  });

  it('takes CRON_SECRET of at least 16 characters', () => {
    expect(loadConfig({ CRON_SECRET: 'cron-secret-0123456789' }).cronSecret).toBe('cron-secret-0123456789');
    expect(loadConfig({}).cronSecret).toBeUndefined();
    expect(() => loadConfig({ CRON_SECRET: 'short' })).toThrow('CRON_SECRET: must be at least 16 characters');
  });

  it('takes the smoke account from SMOKE_EMAIL and SMOKE_PASSWORD together, none when unset', () => {
    expect(loadConfig({ SMOKE_EMAIL: 'smoke@example.com', SMOKE_PASSWORD: 'pw' }).smokeAccount).toEqual({
      email: 'smoke@example.com',
      password: 'pw',
    });
    expect(loadConfig({}).smokeAccount).toBeUndefined();
  });
});

describe('inspectConfig', () => {
  it('names every bad variable (not only the first), without its value, and builds the config from the rest', () => {
    const inspected = inspectConfig('production', {
      PORT: 'eighty',
      AUTH_SECRET: 'short-auth-value',
      RAZORPAY_KEY_ID: 'rzp_live_bad-id',
      ADMIN_TOKEN: 'c'.repeat(40),
      POLARIS_ENV: 'staging',
    });
    expect(inspected.issues.map((i) => i.variable)).toEqual(['PORT', 'RAZORPAY_KEY_ID', 'AUTH_SECRET']);
    expect(JSON.stringify(inspected.issues)).not.toMatch(/eighty|short-auth-value|bad-id/);
    expect(inspected.config).toMatchObject({ env: 'production', port: 3000, adminToken: 'c'.repeat(40) });
    expect(inspected.set).toEqual(['ADMIN_TOKEN']);
    expect(inspected.polarisEnv).toBe('staging');
  });

  it('reports a key id without its secret instead of throwing', () => {
    expect(inspectConfig('development', { RAZORPAY_KEY_ID: 'rzp_test_abc' }).issues).toEqual([
      { variable: 'RAZORPAY_KEY_SECRET', message: 'set RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET together' },
    ]);
  });
});
