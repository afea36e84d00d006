import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretFingerprint } from '../adapters/razorpay/signature.ts';
import type { Config } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import type {
  RotateWebhookSecretContext,
  RotateWebhookSecretInput,
} from '../services/secrets/rotate-webhook-secret.ts';
import { emulatorControl } from './emulator.ts';

const FILE = 'dev-secrets.json';

/** Development keys, generated once per data folder so signatures and emulator state survive restarts. */
export function readDevSecrets(dataDir: string) {
  try {
    return JSON.parse(readFileSync(join(dataDir, FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

const present = (secrets: unknown[]) => secrets.filter((s): s is string => typeof s === 'string' && s !== '');

/**
 * The webhook secrets a server accepts, current first. Secrets kept in the data folder are read
 * again whenever dev-secrets.json is replaced, so a running development server follows
 * `polaris secrets rotate-webhook` without a restart; secrets from the environment never change.
 */
export function liveWebhookSecrets(config: Config): () => string[] {
  let secrets = present([config.razorpay.webhookSecret, config.razorpay.webhookSecretPrevious]);
  if (config.razorpay.webhookSecretSource !== 'data folder') return () => secrets;
  const path = join(config.dataDir, FILE);
  let seen = '';
  return () => {
    let stamp: string;
    try {
      const s = statSync(path);
      stamp = `${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch {
      return secrets;
    }
    if (stamp !== seen) {
      seen = stamp;
      const stored = readDevSecrets(config.dataDir);
      if (typeof stored?.webhookSecret === 'string') {
        secrets = present([stored.webhookSecret, stored.webhookSecretPrevious]);
      }
    }
    return secrets;
  };
}

/** Writes dev-secrets.json through a temporary file and a rename, so readers see all or nothing. */
function saveWebhookSecrets(dataDir: string, secrets: { current: string; previous: string }): void {
  const path = join(dataDir, FILE);
  let stored: Record<string, unknown> = {};
  try {
    stored = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    // A file that exists but cannot be read would lose its keys if replaced.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${FILE} is unreadable`);
  }
  const next = { ...stored, webhookSecret: secrets.current, webhookSecretPrevious: secrets.previous };
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(next), { mode: 0o600 });
  renameSync(temporary, path);
}

/** What `polaris secrets rotate-webhook` works with: the configured secrets, the data folder, the emulator. */
export function webhookRotation(config: Config): {
  ctx: RotateWebhookSecretContext;
  input: RotateWebhookSecretInput;
} {
  const url = `http://127.0.0.1:${config.emulatorPort}`;
  return {
    input: {
      env: config.env,
      source: config.razorpay.webhookSecretSource,
      current: config.razorpay.webhookSecret,
      previous: config.razorpay.webhookSecretPrevious,
    },
    ctx: {
      store: {
        location: join(config.dataDir, FILE),
        save: (secrets) => saveWebhookSecrets(config.dataDir, secrets),
      },
      emulator: {
        url,
        rotateSecret: async (from, to) => {
          const answer = (await emulatorControl(config, '/_emulator/webhooks/rotate-secret', {
            from,
            to,
          })) as {
            updated?: unknown;
          };
          if (!Array.isArray(answer.updated)) {
            throw new AppError('unavailable', `the program at ${url} is not a Polaris emulator`);
          }
          return { updated: answer.updated.map(String) };
        },
      },
      signatures: { fingerprint: secretFingerprint },
    },
  };
}
