import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import type { EmulatorInfo, EmulatorStartOptions } from '../interfaces/cli/runtime.ts';

/** Starts the Razorpay emulator on loopback, its state kept in the data folder across restarts. */
export async function startEmulator(config: Config, options: EmulatorStartOptions = {}) {
  const keyId = options.keyId ?? config.razorpay.keyId;
  const keySecret = options.keySecret ?? config.razorpay.keySecret;
  const port = options.port ?? config.emulatorPort;
  mkdirSync(config.dataDir, { recursive: true });
  // Loaded only when asked for: production never loads the emulator's code.
  const { createEmulator } = await import('../emulator/create-emulator.ts');
  const emulator = createEmulator({
    keyId,
    keySecret,
    statePath: join(config.dataDir, 'emulator-state.json'),
    webhooks:
      options.webhookUrl && options.webhookSecret
        ? [{ url: options.webhookUrl, secret: options.webhookSecret }]
        : [],
  });
  try {
    const server = await emulator.listen(port, '127.0.0.1');
    const info: EmulatorInfo = { url: server.url, keyId, keySecret, webhookUrl: options.webhookUrl };
    return { info, close: () => emulator.close() };
  } catch (error) {
    await emulator.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new AppError(
        'unavailable',
        `port ${port} (POLARIS_EMULATOR_PORT) is in use by another program; stop it or choose another port`,
      );
    }
    throw error;
  }
}

/** POSTs to a running emulator's control routes (`polaris emulator trigger`, `clock advance`). */
export async function emulatorControl(
  config: Config,
  path: string,
  body: unknown,
  url?: string,
): Promise<unknown> {
  const base = url ?? `http://127.0.0.1:${config.emulatorPort}`;
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new AppError(
      'unavailable',
      `no emulator answers at ${base}; start one with npm start or polaris emulator start`,
    );
  }
  const answer = (await res.json().catch(() => ({}))) as { error?: { description?: string } };
  if (!res.ok)
    throw new AppError('bad_request', answer.error?.description ?? `emulator answered ${res.status}`);
  return answer;
}
