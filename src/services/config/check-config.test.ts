import { describe, expect, it } from 'vitest';
import { tokensMatch } from '../../adapters/auth/tokens.ts';
import { type ConfigProbes, checkConfig } from './check-config.ts';
import type { ConfigFacts } from './config-rules.ts';

const facts: ConfigFacts = {
  target: 'production',
  polarisEnv: 'production',
  invalid: [],
  keyId: 'rzp_live_AbCdEf12345678',
  keySecret: 'probe-key-secret-0001',
  webhookSecret: 'probe-webhook-secret-01',
  webhookSecretPrevious: undefined,
  authSecret: 'probe-auth-secret-'.padEnd(40, 'x'),
  adminToken: 'probe-admin-token-'.padEnd(40, 'y'),
  publicBaseUrl: 'https://billing.example.com',
  databaseUrl: 'postgresql://polaris:probe-db-password@db.example.com/polaris',
  smtpUrl: undefined,
  razorpayApiUrl: 'https://api.razorpay.com',
};

// Probes that answer at once; the real ones (wiring/config-check.ts) run in test/config-check.test.ts.
const probes = (over: Partial<ConfigProbes> = {}): ConfigProbes & { calls: string[] } => {
  const calls: string[] = [];
  const answer = (name: string, detail: string) => async () => {
    calls.push(name);
    return { ok: true as const, detail };
  };
  return {
    calls,
    database: answer('database', 'reachable'),
    smtp: answer('smtp', 'accepts connections'),
    razorpay: answer('razorpay', 'answered 200'),
    ...over,
  };
};

describe('checkConfig', () => {
  it('replaces any configured secret a probe lets through with ***', async () => {
    const leaky = probes({
      database: async (url) => ({ ok: false, detail: `refused ${url} with probe-key-secret-0001`, fix: 'x' }),
    });
    const report = await checkConfig({
      ctx: { probes: leaky, sameSecret: tokensMatch },
      input: { facts, offline: true },
    });
    const text = JSON.stringify(report);
    for (const secret of ['probe-key-secret-0001', 'probe-db-password', facts.authSecret, facts.adminToken]) {
      expect(text).not.toContain(secret);
    }
    expect(report.checks.find((c) => c.name === 'DATABASE_URL')?.detail).toBe(
      'refused postgresql://polaris:***@db.example.com/polaris with ***',
    );
    expect(report.ok).toBe(false);
  });

  it('contacts Razorpay only when online, with usable keys of the mode the env needs', async () => {
    const offline = probes();
    const skipped = await checkConfig({
      ctx: { probes: offline, sameSecret: tokensMatch },
      input: { facts, offline: true },
    });
    expect(offline.calls).toEqual(['database']);
    expect(skipped.ok).toBe(true);
    expect(skipped.checks.at(-1)).toEqual({
      name: 'Razorpay API',
      status: 'skip',
      detail: 'not contacted (--offline)',
    });

    const wrongMode = probes();
    const testKey = { ...facts, target: 'development' as const, keyId: 'rzp_live_AbCdEf12345678' };
    const report = await checkConfig({
      ctx: { probes: wrongMode, sameSecret: tokensMatch },
      input: { facts: testKey, offline: false },
    });
    expect(wrongMode.calls).not.toContain('razorpay');
    expect(report.checks.at(-1)).toMatchObject({
      status: 'fail',
      detail: 'not contacted: a live key in development',
    });

    const online = probes();
    const passed = await checkConfig({
      ctx: { probes: online, sameSecret: tokensMatch },
      input: { facts, offline: false },
    });
    expect(online.calls).toEqual(['database', 'razorpay']);
    expect(passed.checks.at(-1)).toEqual({
      name: 'Razorpay API',
      status: 'ok',
      detail: 'answered 200 (live mode)',
    });
  });
});
