import { Writable } from 'node:stream';
import type { AuthConfig } from '../../src/adapters/auth/options.ts';
import { createLogger, type LogFormat } from '../../src/adapters/logger.ts';
import { createEmulator } from '../../src/emulator/create-emulator.ts';
import { assembleContext } from '../../src/wiring/context.ts';
import { TEST_AUTH } from './accounts.ts';
import type { TestDatabase } from './databases.ts';

export const TEST_KEYS = {
  keyId: 'rzp_test_PolarisTests01',
  keySecret: 'test-key-secret-0123456789',
  webhookSecret: 'test-webhook-secret-0123',
};

/** A quiet logger whose lines a test can read. */
export function captureLogger(level = 'info', format: LogFormat = 'json') {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger(level, sink, format), lines };
}

/**
 * A full ServiceContext over a test database and a real emulator listening on loopback, wired the
 * way src/main.ts wires production. The emulator's clock is frozen (advance it explicitly).
 */
export async function createTestContext(
  database: TestDatabase,
  options: {
    startTime?: number;
    webhookTimeScale?: number;
    auth?: Partial<Pick<AuthConfig, 'rateLimit' | 'trustedProxies'>>;
  } = {},
) {
  const emulator = createEmulator({
    keyId: TEST_KEYS.keyId,
    keySecret: TEST_KEYS.keySecret,
    clock: options.startTime ?? 1_780_000_000,
    webhookTimeScale: options.webhookTimeScale ?? 1_000,
  });
  const server = await emulator.listen(0);
  const { log, lines } = captureLogger();
  const ctx = assembleContext({
    db: database.db,
    url: database.url,
    kind: 'postgres',
    gateway: {
      baseUrl: server.url,
      keyId: TEST_KEYS.keyId,
      keySecret: TEST_KEYS.keySecret,
      retries: 1,
      backoffMs: 5,
    },
    auth: { db: database.db, ...TEST_AUTH, ...options.auth },
    settings: {
      env: 'test',
      publicBaseUrl: 'http://localhost:3000',
      razorpayKeyId: TEST_KEYS.keyId,
      razorpayKeySecret: TEST_KEYS.keySecret,
      webhookSecrets: [TEST_KEYS.webhookSecret],
      checkoutScriptUrl: `${server.url}/v1/checkout.js`,
      paymentsEnabled: true,
    },
    log,
    now: () => new Date(emulator.now() * 1000),
  });
  return {
    ctx,
    emulator,
    emulatorUrl: server.url,
    logLines: lines,
    close: async () => {
      await emulator.close();
    },
  };
}

/** A test context over a PostgreSQL URL where nothing listens (for the 503 database_unavailable paths). */
export async function createUnreachableContext() {
  const { createKysely } = await import('../../src/adapters/db/connection.ts');
  const { findFreePort } = await import('../../src/adapters/db/port-probe.ts');
  const url = `postgresql://polaris@127.0.0.1:${await findFreePort()}/none`;
  const handle = createKysely(url, { max: 1 });
  const h = await createTestContext({
    ...handle,
    url,
    backend: 'postgres',
    close: async () => {},
  } as TestDatabase);
  return {
    ctx: h.ctx,
    close: async () => {
      await h.close();
      await handle.db.destroy();
    },
  };
}
