import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { createKysely, type KyselyHandle } from '../src/adapters/db/connection.ts';
import { embeddedUrl, ownConnectionUrl, serveEmbedded } from '../src/adapters/db/embedded.ts';
import { Migrator } from '../src/adapters/db/migrator.ts';
import { syncPlanCatalog } from '../src/adapters/db/plan-catalog.ts';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { createRepos, createUnitOfWork } from '../src/adapters/db/repos.ts';
import { PLANS } from '../src/domain/plans.ts';
import { DATA_CHECKS } from '../src/domain/verify-checks.ts';
import { verifyDatabase } from '../src/services/verify/verify-database.ts';
import { startPostgres } from '../test/support/postgres-server.ts';
import { seedDataset } from './support/dataset.ts';

const RUNS = 3;
/** Payments per size; users are a tenth of them and webhook events a fifth (issue 10's 100k/1M/200k). */
const POSTGRES_SIZES = [10_000, 100_000, 1_000_000];
const PGLITE_SIZES = [1_000, 10_000, 100_000];

const label = (payments: number) =>
  payments >= 1_000_000 ? `p${payments / 1_000_000}m` : `p${payments / 1_000}k`;
const seconds = (ms: number) => Math.round(ms) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Seeds one database and times `db verify` on it (median of RUNS); at `perCheck`, each check alone too. */
async function measure(handle: KyselyHandle, payments: number, perCheck: boolean) {
  const out: Record<string, number> = {};
  const migrated = await new Migrator(handle.db).migrate();
  if (!migrated.ok) throw migrated.error;
  await syncPlanCatalog(handle.db, PLANS);
  let t0 = performance.now();
  await seedDataset(handle.db, { users: payments / 10, payments, events: payments / 5 });
  out.seed_s = seconds(performance.now() - t0);
  const ctx = { migrations: new Migrator(handle.db), transaction: createUnitOfWork(handle.db) };
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    t0 = performance.now();
    const report = await verifyDatabase({ ctx });
    times.push(performance.now() - t0);
    if (!report.ok)
      throw new Error(`verify found errors in the bench data: ${JSON.stringify(report.checks)}`);
  }
  out.verify_s = seconds(median(times));
  if (perCheck) {
    const repos = createRepos(handle.db);
    for (const check of DATA_CHECKS) {
      t0 = performance.now();
      await repos.verify.find(check.name);
      out[`check_${check.name}_ms`] = Math.round(performance.now() - t0);
    }
  }
  return out;
}

async function onPostgres(sizes: number[]) {
  const pg = await startPostgres({ durable: true });
  const admin = createKysely(pg.url, { max: 1 });
  const out: Record<string, number> = {};
  try {
    for (const payments of sizes) {
      const name = `verify_${label(payments)}`;
      await sql.raw(`CREATE DATABASE ${name}`).execute(admin.db);
      const handle = createKysely(pg.url.replace(/\/postgres$/, `/${name}`), { max: 4 });
      try {
        const figures = await measure(handle, payments, payments === sizes.at(-1));
        for (const [k, v] of Object.entries(figures)) out[`postgres.${label(payments)}.${k}`] = v;
      } finally {
        await handle.db.destroy();
        await sql.raw(`DROP DATABASE ${name}`).execute(admin.db);
      }
    }
  } finally {
    await admin.db.destroy();
    pg.stop();
  }
  return out;
}

async function onPglite(sizes: number[]) {
  const out: Record<string, number> = {};
  for (const payments of sizes) {
    const lite = await PGlite.create();
    const port = await findFreePort();
    const server = await serveEmbedded(lite, port);
    // pglite-socket serves one session at a time: one connection.
    const handle = createKysely(ownConnectionUrl(embeddedUrl(port)), { max: 1 });
    try {
      const figures = await measure(handle, payments, payments === sizes.at(-1));
      for (const [k, v] of Object.entries(figures)) out[`pglite.${label(payments)}.${k}`] = v;
    } finally {
      await handle.db.destroy();
      await server.stop();
      await lite.close();
    }
  }
  return out;
}

/**
 * `db verify` on issue 10's data (bench/support/dataset.ts): PostgreSQL durable at 10k, 100k and
 * 1M payments, PGlite at a tenth; the seed time beside it, and each check alone at the largest size.
 */
export async function runVerifyBench(
  sizes: { postgres: number[]; pglite: number[] } = { postgres: POSTGRES_SIZES, pglite: PGLITE_SIZES },
): Promise<Record<string, number>> {
  return { ...(await onPostgres(sizes.postgres)), ...(await onPglite(sizes.pglite)) };
}
