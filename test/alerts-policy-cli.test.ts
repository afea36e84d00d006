import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';

describe('a bad alerts section of the policy file', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'polaris-alerts-policy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('polaris policy check exits 2 naming the field and why', async () => {
    const file = join(dir, 'polaris.policy.json');
    writeFileSync(
      file,
      JSON.stringify({
        alerts: {
          paymentFailureRate: { window: '5m', minAttempts: 20, mediumOverPercent: 12, highOverPercent: 10 },
        },
      }),
    );
    const check = await runCli(['policy', 'check'], {
      POLARIS_DATA_DIR: join(dir, 'data'),
      POLICY_FILE: file,
    });
    expect(check.code).toBe(2);
    expect(check.stderr).toBe(
      'polaris: polaris.policy.json: alerts.paymentFailureRate.highOverPercent: must be above mediumOverPercent (12)\n',
    );
  });
});
