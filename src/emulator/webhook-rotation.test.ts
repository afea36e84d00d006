import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_KEYS } from '../../test/support/emulator.ts';
import { createEmulator, type Emulator } from './create-emulator.ts';

const emulators: Emulator[] = [];
afterEach(async () => {
  while (emulators.length) await emulators.pop()!.close();
});

function emulator(webhooks: { url: string; secret: string }[]): Emulator {
  const emu = createEmulator({ ...TEST_KEYS, clock: 1_750_000_000, webhooks });
  emulators.push(emu);
  return emu;
}

const rotate = (emu: Emulator, body: unknown) =>
  emu.app.request('/_emulator/webhooks/rotate-secret', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('POST /_emulator/webhooks/rotate-secret', () => {
  it('gives every endpoint signing with `from` the new secret, leaves the others, and answers no secret', async () => {
    const emu = emulator([
      { url: 'http://127.0.0.1:1/a', secret: 'old-secret-0001' },
      { url: 'http://127.0.0.1:1/b', secret: 'someone-elses-01' },
    ]);
    const [a, b] = [...emu.ctx.state.webhooks.values()];
    const res = await rotate(emu, { from: 'old-secret-0001', to: 'new-secret-0001' });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ updated: [a!.id] });
    expect(text).not.toMatch(/secret-0001|someone-elses/);
    expect([a!.secret, b!.secret]).toEqual(['new-secret-0001', 'someone-elses-01']);

    // The reverse call undoes it exactly (what a rotation that fails to store its secret does).
    expect(await (await rotate(emu, { from: 'new-secret-0001', to: 'old-secret-0001' })).json()).toEqual({
      updated: [a!.id],
    });
    expect(a!.secret).toBe('old-secret-0001');
  });

  it('changes nothing when no endpoint uses `from`, and refuses a body without both secrets', async () => {
    const emu = emulator([{ url: 'http://127.0.0.1:1/a', secret: 'old-secret-0001' }]);
    expect(await (await rotate(emu, { from: 'unknown-secret', to: 'x-secret' })).json()).toEqual({
      updated: [],
    });
    const bad = await rotate(emu, { from: 'old-secret-0001' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST_ERROR');
    expect([...emu.ctx.state.webhooks.values()][0]!.secret).toBe('old-secret-0001');
  });

  it('keeps the rotated secret across a restart: the endpoint is persisted, and not registered twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polaris-emu-rotate-'));
    try {
      const statePath = join(dir, 'emulator-state.json');
      const url = 'http://127.0.0.1:1/hook';
      const first = createEmulator({
        ...TEST_KEYS,
        statePath,
        webhooks: [{ url, secret: 'old-secret-0001' }],
      });
      await rotate(first, { from: 'old-secret-0001', to: 'new-secret-0001' });
      await first.close();
      // `npm start` registers the endpoint with the secret it now reads from dev-secrets.json.
      const restarted = createEmulator({
        ...TEST_KEYS,
        statePath,
        webhooks: [{ url, secret: 'new-secret-0001' }],
      });
      emulators.push(restarted);
      expect([...restarted.ctx.state.webhooks.values()].map((w) => [w.url, w.secret])).toEqual([
        [url, 'new-secret-0001'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
