import { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import { createKysely } from '../../src/adapters/db/connection.ts';
import { embeddedUrl, ownConnectionUrl, serveEmbedded } from '../../src/adapters/db/embedded.ts';
import { Migrator } from '../../src/adapters/db/migrator.ts';
import { syncPlanCatalog } from '../../src/adapters/db/plan-catalog.ts';
import { findFreePort } from '../../src/adapters/db/port-probe.ts';
import type { Database } from '../../src/adapters/db/schema.ts';
import { createLogger } from '../../src/adapters/logger.ts';
import { PLANS } from '../../src/domain/plans.ts';
import { assembleContext } from '../../src/wiring/context.ts';
import { LOOSE_RATE_LIMITS } from '../../test/support/accounts.ts';
import { startPostgres } from '../../test/support/postgres-server.ts';

/** The emulator's keys and webhook secret the benches use. */
export const KEYS = {
  keyId: 'rzp_test_BenchWebhooks01',
  keySecret: 'bench_key_secret_01',
  webhook: 'bench_webhook_secret_01',
};

export type BenchDb = { url: string; max: number; stop: () => Promise<void> };

/**
 * A bench PostgreSQL server with production durability (fsync, full_page_writes, synchronous_commit
 * on) unless `durable` is false: the figures without it are shown beside, never instead.
 */
export async function postgresDb(durable: boolean, max = 60): Promise<BenchDb> {
  const pg = await startPostgres({ maxConnections: 200, durable });
  return { url: pg.url, max, stop: async () => pg.stop() };
}

/** An in-memory PGlite served over the wire on loopback. */
export async function pgliteDb(): Promise<BenchDb> {
  const lite = await PGlite.create();
  const port = await findFreePort();
  const server = await serveEmbedded(lite, port);
  // pglite-socket cannot interleave autocommit queries of several connections: one connection.
  return {
    url: ownConnectionUrl(embeddedUrl(port)),
    max: 1,
    stop: async () => {
      await server.stop();
      await lite.close();
    },
  };
}

/** A ServiceContext over an open Kysely on PostgreSQL (or PGlite's socket), calling the emulator at `gatewayUrl`. */
export function benchContext(
  db: Kysely<Database>,
  url: string,
  gatewayUrl: string,
  options: { backupDir?: string; now?: () => Date } = {},
) {
  return assembleContext({
    db,
    url,
    kind: 'postgres',
    gateway: { baseUrl: gatewayUrl, keyId: KEYS.keyId, keySecret: KEYS.keySecret },
    auth: {
      db,
      secret: 'bench-auth-secret-0123456789abcdef0123',
      baseUrl: 'http://localhost:3000',
      rateLimit: LOOSE_RATE_LIMITS,
    },
    settings: {
      env: 'test',
      publicBaseUrl: 'http://localhost:3000',
      razorpayKeyId: KEYS.keyId,
      razorpayKeySecret: KEYS.keySecret,
      webhookSecrets: [KEYS.webhook],
      checkoutScriptUrl: `${gatewayUrl}/v1/checkout.js`,
      paymentsEnabled: true,
    },
    log: createLogger('silent'),
    ...options,
  });
}

/** A migrated database and a ServiceContext over it, calling the emulator at `gatewayUrl`. */
export async function contextFor(
  db: BenchDb,
  gatewayUrl: string,
  options: { backupDir?: string; now?: () => Date } = {},
) {
  const handle = createKysely(db.url, { max: db.max });
  const migrated = await new Migrator(handle.db).migrate();
  if (!migrated.ok) throw migrated.error;
  await syncPlanCatalog(handle.db, PLANS);
  return { ctx: benchContext(handle.db, db.url, gatewayUrl, options), db: handle.db };
}
