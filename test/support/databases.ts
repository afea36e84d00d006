import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { createKysely, type KyselyHandle } from '../../src/adapters/db/connection.ts';
import { embeddedUrl, ownConnectionUrl, serveEmbedded } from '../../src/adapters/db/embedded.ts';
import { Migrator } from '../../src/adapters/db/migrator.ts';
import { syncPlanCatalog } from '../../src/adapters/db/plan-catalog.ts';
import { findFreePort } from '../../src/adapters/db/port-probe.ts';
import type { Database } from '../../src/adapters/db/schema.ts';
import { PLANS } from '../../src/domain/plans.ts';

export type Backend = 'pglite' | 'postgres';
export const BACKENDS: Backend[] = ['pglite', 'postgres'];

/** A fresh, empty database of one backend, reached over the wire like production does. */
export type TestDatabase = KyselyHandle & { backend: Backend; url: string; close: () => Promise<void> };

async function openPglite(): Promise<TestDatabase> {
  const tar = readFileSync(inject('pgliteTemplate'));
  const lite = await PGlite.create({ loadDataDir: new Blob([tar]) });
  const port = await findFreePort();
  const server = await serveEmbedded(lite, port);
  const url = embeddedUrl(port);
  // The test's own pool is the server's own connection; other clients of `url` are outside clients.
  const handle = createKysely(ownConnectionUrl(url), { max: 1 });
  return {
    ...handle,
    backend: 'pglite',
    url,
    close: async () => {
      await handle.db.destroy();
      await server.stop();
      await lite.close();
    },
  };
}

async function openPostgres(): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: inject('pgUrl') });
  await admin.connect();
  const name = `polaris_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = inject('pgUrl').replace(/\/postgres$/, `/${name}`);
  const handle = createKysely(url, { max: 10 });
  return {
    ...handle,
    backend: 'postgres',
    url,
    close: async () => {
      await handle.db.destroy();
      const cleanup = new pg.Client({ connectionString: inject('pgUrl') });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** Opens an empty database on the given backend. */
export function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  return backend === 'pglite' ? openPglite() : openPostgres();
}

/** Migrates to the latest schema and syncs the plan catalog, as `polaris db migrate` does. */
export async function migrateTestDatabase(db: Kysely<Database>): Promise<void> {
  const result = await new Migrator(db).migrate();
  if (!result.ok) throw result.error;
  await syncPlanCatalog(db, PLANS);
}

/**
 * Runs the same suite once per backend with a fresh database for each; `migrated` applies every
 * migration first. The getter is valid inside tests and hooks.
 */
export function describeEachBackend(
  title: string,
  options: { migrated: boolean },
  suite: (get: () => TestDatabase) => void,
): void {
  for (const backend of BACKENDS) {
    describe(`${title} [${backend}]`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await openTestDatabase(backend);
        if (options.migrated) await migrateTestDatabase(current.db);
      });
      afterAll(async () => {
        await current?.close();
      });
      suite(() => {
        if (!current) throw new Error('test database not open yet');
        return current;
      });
    });
  }
}
