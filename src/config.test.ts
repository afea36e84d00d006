import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

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

  it('reads the payments alias NEXT_PUBLIC_ENABLE_PAYMENTS', () => {
    expect(loadConfig({ NEXT_PUBLIC_ENABLE_PAYMENTS: 'false' }).paymentsEnabledOverride).toBe(false);
  });
});
