import { describe, expect, it } from 'vitest';
import { type ConfigFacts, LIVE_KEY_ID, staticChecks } from './config-rules.ts';

const same = (a: string, b: string) => a === b;
const production: ConfigFacts = {
  target: 'production',
  polarisEnv: 'production',
  invalid: [],
  keyId: 'rzp_live_AbCdEf12345678',
  keySecret: 'live-key-secret-value-0001',
  webhookSecret: 'live-webhook-secret-value-1',
  webhookSecretPrevious: undefined,
  authSecret: 'a'.repeat(32),
  adminToken: 'b'.repeat(40),
  publicBaseUrl: 'https://billing.example.com/',
  databaseUrl: 'postgresql://polaris:pw@db.example.com:5432/polaris',
  smtpUrl: undefined,
  razorpayApiUrl: 'https://api.razorpay.com',
};
const line = (facts: ConfigFacts, name: string) => staticChecks(facts, same).find((c) => c.name === name);

describe('staticChecks', () => {
  it('passes a complete production configuration, every line ✓', () => {
    expect(staticChecks(production, same).every((c) => c.status === 'ok')).toBe(true);
  });

  it('accepts every well-formed live key id: rzp_live_ and 14 letters or digits, any case', () => {
    for (const keyId of [
      'rzp_live_AbCdEf12345678',
      'rzp_live_12345678901234',
      'rzp_live_ZZZZZZZZZZZZZZ',
      'rzp_live_abcdefghijklmn',
      'rzp_live_9xY8wV7uT6sR5q',
    ]) {
      expect(LIVE_KEY_ID.test(keyId)).toBe(true);
      expect(line({ ...production, keyId }, 'RAZORPAY_KEY_ID')?.status).toBe('ok');
    }
  });

  it('refuses malformed or test key ids in production, with the fix', () => {
    for (const [keyId, detail] of [
      ['rzp_live_AbCdEf1234567', 'rzp_live_ followed by 13 characters; a key id has 14 letters or digits'],
      ['rzp_live_AbCdEf123456789', 'rzp_live_ followed by 15 characters; a key id has 14 letters or digits'],
      ['rzp_live_AbCdEf-1234567', 'rzp_live_ followed by 14 characters; a key id has 14 letters or digits'],
      ['rzp_test_AbCdEf12345678', 'not a live key id (production takes rzp_live_…)'],
    ] as const) {
      expect(line({ ...production, keyId }, 'RAZORPAY_KEY_ID')).toEqual({
        name: 'RAZORPAY_KEY_ID',
        status: 'fail',
        detail,
        fix: 'copy the live key id from Razorpay Dashboard → API Keys (live mode)',
      });
    }
  });

  it('fails each production rule on its own line', () => {
    const bad: ConfigFacts = {
      ...production,
      polarisEnv: undefined,
      keySecret: undefined,
      webhookSecret: undefined,
      authSecret: 'x'.repeat(31),
      adminToken: 'y'.repeat(20),
      publicBaseUrl: 'http://billing.example.com',
    };
    const failed = staticChecks(bad, same).filter((c) => c.status === 'fail');
    expect(failed.map((c) => [c.name, c.detail])).toEqual([
      ['POLARIS_ENV', 'not set (the server would run as development)'],
      ['RAZORPAY_KEY_SECRET', 'not set'],
      ['RAZORPAY_WEBHOOK_SECRET', 'not set'],
      ['AUTH_SECRET', '31 characters; at least 32 needed'],
      ['PUBLIC_BASE_URL', 'http://billing.example.com is not https'],
      ['ADMIN_TOKEN', '20 characters; at least 32 needed'],
    ]);
    expect(failed.every((c) => c.fix)).toBe(true);
  });

  it('refuses a webhook secret equal to the key secret', () => {
    expect(
      line({ ...production, webhookSecret: production.keySecret }, 'RAZORPAY_WEBHOOK_SECRET'),
    ).toMatchObject({
      status: 'fail',
      detail: 'the same as RAZORPAY_KEY_SECRET',
    });
  });

  it('relaxes in development: test keys, http and unset secrets are fine, a live key is not', () => {
    const dev: ConfigFacts = {
      ...production,
      target: 'development',
      polarisEnv: undefined,
      keyId: 'rzp_test_EmuLat0rKey0001',
      adminToken: undefined,
      authSecret: undefined,
      publicBaseUrl: 'http://localhost:3000',
    };
    expect(staticChecks(dev, same).filter((c) => c.status !== 'ok')).toEqual([]);
    expect(line({ ...dev, keyId: 'rzp_live_AbCdEf12345678' }, 'RAZORPAY_KEY_ID')?.status).toBe('fail');
  });

  it('reports a variable that failed to parse as ✗ in place of its check, and others first', () => {
    const checks = staticChecks(
      {
        ...production,
        authSecret: undefined,
        invalid: [
          { variable: 'AUTH_SECRET', message: 'must be at least 32 characters' },
          { variable: 'PORT', message: 'Invalid input' },
        ],
      },
      same,
    );
    expect(checks[0]).toMatchObject({
      name: 'PORT',
      status: 'fail',
      detail: 'cannot be read: Invalid input',
    });
    expect(checks.filter((c) => c.name === 'AUTH_SECRET')).toEqual([
      {
        name: 'AUTH_SECRET',
        status: 'fail',
        detail: 'cannot be read: must be at least 32 characters',
        fix: 'correct AUTH_SECRET (README: Configuration)',
      },
    ]);
  });
});
