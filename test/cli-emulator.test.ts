import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { BIN, cliEnv, runCli } from './support/cli.ts';

describe('polaris emulator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polaris-emu-'));
  let env: Record<string, string> = {};
  let child: ReturnType<typeof spawn> | undefined;
  let info: { url: string; keyId: string; keySecret: string } = { url: '', keyId: '', keySecret: '' };

  beforeAll(async () => {
    const port = await findFreePort();
    env = { POLARIS_DATA_DIR: dir, POLARIS_EMULATOR_PORT: String(port) };
    child = spawn(
      process.execPath,
      [
        BIN,
        '--json',
        'emulator',
        'start',
        '--key-id',
        'rzp_test_CliEmulator01',
        '--key-secret',
        'cli-secret-123',
      ],
      { env: cliEnv(env) },
    );
    let out = '';
    let err = '';
    child.stderr?.on('data', (d) => {
      err += d;
    });
    info = await new Promise((resolve, reject) => {
      child?.stdout?.on('data', (d) => {
        out += d;
        try {
          resolve(JSON.parse(out));
        } catch {
          // not complete yet
        }
      });
      child?.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${err}`)));
    });
  });
  afterAll(async () => {
    // The emulator writes its state file while it stops: wait for it before removing the folder.
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child?.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts alone, prints its keys, and serves /v1 with them', async () => {
    expect(info).toMatchObject({ keyId: 'rzp_test_CliEmulator01', keySecret: 'cli-secret-123' });
    const auth = `Basic ${Buffer.from('rzp_test_CliEmulator01:cli-secret-123').toString('base64')}`;
    const plans = await fetch(`${info.url}/v1/plans`, { headers: { authorization: auth } });
    expect(plans.status).toBe(200);
    const wrong = await fetch(`${info.url}/v1/plans`, { headers: { authorization: 'Basic eDp5' } });
    expect(wrong.status).toBe(401);
  });

  it('triggers a scenario that makes real state, and advances the clock', async () => {
    const r = await runCli(['--json', 'emulator', 'trigger', 'subscription-activated'], env);
    expect(r.code).toBe(0);
    const { ids } = JSON.parse(r.stdout) as { ids: { subscription_id: string } };
    const auth = `Basic ${Buffer.from('rzp_test_CliEmulator01:cli-secret-123').toString('base64')}`;
    const sub = (await (
      await fetch(`${info.url}/v1/subscriptions/${ids.subscription_id}`, { headers: { authorization: auth } })
    ).json()) as {
      status: string;
      paid_count: number;
    };
    expect(sub.status).toBe('active');
    const advanced = await runCli(['--json', 'emulator', 'clock', 'advance', '31d'], env);
    expect(advanced.code).toBe(0);
    const after = (await (
      await fetch(`${info.url}/v1/subscriptions/${ids.subscription_id}`, { headers: { authorization: auth } })
    ).json()) as {
      paid_count: number;
    };
    expect(after.paid_count).toBe(sub.paid_count + 1);
  });

  it('refuses an unknown scenario, a bad override and a bad duration with exit 2 before anything happens', async () => {
    const unknown = await runCli(['emulator', 'trigger', 'nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown scenario nope; known: subscription-activated/);
    const override = await runCli(['emulator', 'trigger', 'renewal', '--set', 'bogus=1'], env);
    expect(override.code).toBe(2);
    expect(override.stderr).toMatch(/unknown override bogus/);
    const duration = await runCli(['emulator', 'clock', 'advance', 'soon'], env);
    expect(duration.code).toBe(2);
  });

  it('says so when no emulator answers', async () => {
    const r = await runCli(['emulator', 'clock', 'advance', '1d'], {
      POLARIS_EMULATOR_PORT: String(await findFreePort()),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no emulator answers at http:\/\/127\.0\.0\.1:\d+/);
  });
});
