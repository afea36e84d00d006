import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { runCli } from './support/cli.ts';

const EXAMPLE = new URL('../polaris.policy.example.json', import.meta.url);

describe('polaris policy show / check, and the boot with a bad policy file', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'polaris-policy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bad = join(dir, 'polaris.policy.json');
  const example = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
  example.escalation[1].after = 'soon';
  writeFileSync(bad, JSON.stringify(example));
  const env = { POLARIS_DATA_DIR: join(dir, 'data') };
  const NAMED = "polaris: polaris.policy.json: escalation[1].after: cannot read 'soon'";

  it('shows the built-in defaults when no file exists, and the example file as tables and JSON', async () => {
    const shown = await runCli(['policy', 'show'], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^incident policy from built-in defaults \(no \S+polaris\.policy\.json\)\n/);
    expect(shown.stdout).toMatch(/│ critical +│ 15m +│ 15m +│/);
    expect(shown.stdout).toMatch(/│ 4 +│ CTO \/ VP Engineering +│ not by time +│ critical +│/);
    expect(shown.stdout).toContain('roster: empty');
    const file = await runCli(['policy', 'show', '--json'], { ...env, POLICY_FILE: EXAMPLE.pathname });
    expect(file.code, file.stderr).toBe(0);
    expect(JSON.parse(file.stdout).policy.roster[0].channels.phone).toBe('+91 00000 00001');
    const check = await runCli(['policy', 'check'], { ...env, POLICY_FILE: EXAMPLE.pathname });
    expect([check.code, check.stdout]).toEqual([0, `policy OK: ${EXAMPLE.pathname}\n`]);
  });

  it('policy check and start exit 2 naming the bad field; a POLICY_FILE that does not exist is refused', async () => {
    const check = await runCli(['policy', 'check'], { ...env, POLICY_FILE: bad });
    expect(check.code).toBe(2);
    expect(check.stderr).toContain(NAMED);
    const port = await findFreePort();
    const start = await runCli(['start'], { ...env, POLICY_FILE: bad, PORT: String(port) });
    expect(start.code).toBe(2);
    expect(start.stderr).toContain(NAMED);
    const missing = await runCli(['policy', 'check'], { ...env, POLICY_FILE: join(dir, 'nope.json') });
    expect([missing.code, missing.stderr]).toEqual([
      2,
      `polaris: policy file ${join(dir, 'nope.json')} (POLICY_FILE): cannot read it\n`,
    ]);
  });
});
