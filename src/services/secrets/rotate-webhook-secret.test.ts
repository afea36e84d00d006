import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findFreePort } from '../../adapters/db/port-probe.ts';
import { secretFingerprint } from '../../adapters/razorpay/signature.ts';
import { loadConfig } from '../../config.ts';
import { createEmulator, type Emulator, type EmulatorServer } from '../../emulator/create-emulator.ts';
import { readDevSecrets, webhookRotation } from '../../wiring/dev-secrets.ts';
import { rotateWebhookSecret } from './rotate-webhook-secret.ts';

const OLD = 'whsec_before_rotation_0001';
const KEYS = { keyId: 'rzp_test_Rotation000001', keySecret: 'rotation-key-secret-01' };

describe('rotateWebhookSecret in development (dev-secrets.json and a running emulator over HTTP)', () => {
  const root = mkdtempSync(join(tmpdir(), 'polaris-rotate-'));
  let dataDir = '';
  let emulator: Emulator;
  let server: EmulatorServer;
  let runs = 0;
  const secretsFile = () => join(dataDir, 'dev-secrets.json');
  const endpointSecrets = () => [...emulator.ctx.state.webhooks.values()].map((w) => w.secret);
  const rotation = (port = server.port) =>
    webhookRotation(
      loadConfig(
        { POLARIS_ENV: 'development', POLARIS_DATA_DIR: dataDir, POLARIS_EMULATOR_PORT: String(port) },
        readDevSecrets,
      ),
    );

  beforeAll(async () => {
    emulator = createEmulator({ ...KEYS, webhooks: [{ url: 'http://127.0.0.1:9/hook', secret: OLD }] });
    server = await emulator.listen(0);
  });
  beforeEach(() => {
    // Each case starts from a folder holding the secret the emulator's endpoint signs with.
    dataDir = join(root, `data-${++runs}`);
    mkdirSync(dataDir);
    writeFileSync(secretsFile(), JSON.stringify({ ...KEYS, webhookSecret: OLD, authSecret: 'a'.repeat(40) }));
    for (const w of emulator.ctx.state.webhooks.values()) w.secret = OLD;
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('generates a new secret, keeps the old one as previous, and moves the emulator endpoint to it', async () => {
    const { ctx, input } = rotation();
    const result = await rotateWebhookSecret({ ctx, input });
    const stored = JSON.parse(readFileSync(secretsFile(), 'utf8'));
    expect(stored).toMatchObject({ ...KEYS, webhookSecretPrevious: OLD });
    expect(stored.webhookSecret).toMatch(/^whsec_[0-9a-f]{48}$/);
    expect(stored.authSecret).toBe('a'.repeat(40));
    expect(endpointSecrets()).toEqual([stored.webhookSecret]);
    expect(result).toEqual({
      applied: true,
      endpoints: [[...emulator.ctx.state.webhooks.keys()][0]],
      location: secretsFile(),
      current: secretFingerprint(stored.webhookSecret),
      previous: secretFingerprint(OLD),
      dropped: null,
    });
    expect(JSON.stringify(result)).not.toContain(stored.webhookSecret);
    expect(JSON.stringify(result)).not.toContain(OLD);

    // The next load sees both; a second rotation drops the oldest.
    const again = rotation();
    expect(again.input).toMatchObject({
      current: stored.webhookSecret,
      previous: OLD,
      source: 'data folder',
    });
    const second = await rotateWebhookSecret(again);
    expect(second).toMatchObject({ applied: true, dropped: secretFingerprint(OLD) });
    expect(readDevSecrets(dataDir).webhookSecretPrevious).toBe(stored.webhookSecret);
  });

  it('fails clearly when no emulator answers, changing nothing stored', async () => {
    const before = readFileSync(secretsFile(), 'utf8');
    const port = await findFreePort();
    const { ctx, input } = rotation(port);
    await expect(rotateWebhookSecret({ ctx, input })).rejects.toMatchObject({
      code: 'unavailable',
      message: `no emulator answers at http://127.0.0.1:${port}; start one with npm start or polaris emulator start`,
    });
    expect(readFileSync(secretsFile(), 'utf8')).toBe(before);
  });

  it('refuses when no emulator endpoint signs with the current secret, changing nothing', async () => {
    writeFileSync(secretsFile(), JSON.stringify({ ...KEYS, webhookSecret: 'whsec_not_the_emulators' }));
    const before = readFileSync(secretsFile(), 'utf8');
    const { ctx, input } = rotation();
    await expect(rotateWebhookSecret({ ctx, input })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(
        /^no webhook endpoint of the emulator at .* signs with the current secret/,
      ),
    });
    expect(readFileSync(secretsFile(), 'utf8')).toBe(before);
    expect(endpointSecrets()).toEqual([OLD]);
  });

  it('puts the emulator back on the current secret when the new one cannot be stored', async () => {
    const { ctx, input } = rotation();
    const before = readFileSync(secretsFile(), 'utf8');
    const failing = {
      ...ctx,
      store: {
        location: ctx.store.location,
        save: () => {
          throw new Error('disk full');
        },
      },
    };
    await expect(rotateWebhookSecret({ ctx: failing, input })).rejects.toMatchObject({
      code: 'unavailable',
      message: `cannot store the new secret in ${secretsFile()} (disk full); the emulator signs with the current secret again; nothing was changed`,
    });
    expect(endpointSecrets()).toEqual([OLD]);
    expect(readFileSync(secretsFile(), 'utf8')).toBe(before);
  });
});

describe('rotateWebhookSecret where the secret comes from the environment', () => {
  const ctx = {
    store: {
      location: '/nowhere',
      save: () => {
        throw new Error('must not store');
      },
    },
    emulator: {
      url: 'http://127.0.0.1:9',
      rotateSecret: () => Promise.reject(new Error('must not call the emulator')),
    },
    signatures: { fingerprint: secretFingerprint },
  };

  it('prints the exact production steps, naming secrets only by fingerprint', async () => {
    const result = await rotateWebhookSecret({
      ctx,
      input: {
        env: 'production',
        source: 'environment',
        current: 'live-webhook-secret-01',
        previous: undefined,
      },
    });
    if (result.applied) throw new Error('production must not rotate by itself');
    expect(result.reason).toMatch(/^production reads its webhook secrets from the host environment/);
    expect(result.steps).toHaveLength(6);
    expect(result.steps[1]).toContain(
      `set RAZORPAY_WEBHOOK_SECRET_PREVIOUS to the value RAZORPAY_WEBHOOK_SECRET has now (fingerprint ${secretFingerprint('live-webhook-secret-01')}) and RAZORPAY_WEBHOOK_SECRET to the new secret`,
    );
    expect(result.steps.join('\n')).toMatch(
      /deploy[\s\S]*Razorpay's Dashboard[\s\S]*unset RAZORPAY_WEBHOOK_SECRET_PREVIOUS/,
    );
    expect(JSON.stringify(result)).not.toContain('live-webhook-secret-01');
  });

  it('prints the steps in development too when RAZORPAY_WEBHOOK_SECRET is set in the environment', async () => {
    const result = await rotateWebhookSecret({
      ctx,
      input: {
        env: 'development',
        source: 'environment',
        current: 'env-secret-0001',
        previous: 'env-old-0001',
      },
    });
    expect(result).toMatchObject({
      applied: false,
      reason: 'RAZORPAY_WEBHOOK_SECRET is set in the environment, which Polaris cannot change',
      previous: secretFingerprint('env-old-0001'),
    });
  });
});
