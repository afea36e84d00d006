import { type Kysely, sql } from 'kysely';
import type { TableChecksum } from '../../domain/backups.ts';
import { AppError } from '../../domain/errors.ts';
import { readLedger } from './dump/catalog.ts';
import { readChecksums } from './dump/checksums.ts';
import { type LoadOutcome, loadDump } from './dump/load-dump.ts';
import { withDumpSession } from './dump/session.ts';
import { type DumpOutcome, writeDump } from './dump/write-dump.ts';
import { loadMigrations, Migrator } from './migrator.ts';
import { createRepos, type Repos } from './repos.ts';
import type { Database } from './schema.ts';

export type { LoadOutcome } from './dump/load-dump.ts';
export type { DumpOutcome } from './dump/write-dump.ts';

/** Which server a database runs on. */
export type EngineInfo = { engine: 'postgresql' | 'pglite'; serverVersion: string; migrations: string[] };

/** What a backup's rows are loaded against: the schema they need and the counts and checksums they must give. */
export type LoadRequest = {
  path: string;
  expected: { migrations: string[]; tables: TableChecksum[] };
  /** Runs in the load's transaction, after every table matched and before it commits. */
  beforeCommit?: (repos: Repos) => Promise<void>;
};

/** Dump, load and checksum one database (adapters/db/dump/). */
export type BackupDatabase = {
  describe(): Promise<EngineInfo>;
  dump(path: string, onTable?: (table: string) => void): Promise<DumpOutcome>;
  /** Migrates an empty database to the backup's schema, then replaces every table's rows. */
  load(request: LoadRequest): Promise<LoadOutcome>;
  checksums(): Promise<TableChecksum[]>;
  /** Migrates an empty database to exactly a backup's migrations. */
  migrateTo(names: string[]): Promise<void>;
};

/** Migrates an empty database to exactly the given migrations (a backup's schema). */
export async function migrateTo(db: Kysely<Database>, names: string[]): Promise<void> {
  const files = loadMigrations();
  const unknown = names.filter((n) => !files.some((f) => f.name === n));
  if (unknown.length > 0) {
    throw new AppError(
      'conflict',
      `the backup needs migrations this Polaris does not have: ${unknown.join(', ')}; restore it with the release that took it`,
    );
  }
  const result = await new Migrator(
    db,
    files.filter((f) => names.includes(f.name)),
  ).migrate();
  if (!result.ok) throw result.error;
}

async function engineOf(db: Kysely<Database>): Promise<{ engine: EngineInfo['engine']; short: string }> {
  const { rows } = await sql<{ version: string; short: string }>`
    SELECT version() AS version, current_setting('server_version') AS short`.execute(db);
  const row = rows[0] ?? { version: '', short: '' };
  return { engine: /pglite|emscripten/i.test(row.version) ? 'pglite' : 'postgresql', short: row.short };
}

/**
 * The backup operations over one database. `url` is the one `db`'s pool connects with: a dump and
 * a load each open one connection of their own there, for COPY.
 */
export function backupDatabase(db: Kysely<Database>, url: string): BackupDatabase {
  return {
    async describe() {
      const { engine, short } = await engineOf(db);
      return { engine, serverVersion: short, migrations: await readLedger(db) };
    },
    async dump(path, onTable) {
      const { engine } = await engineOf(db);
      return withDumpSession(url, (session) =>
        writeDump(
          session,
          path,
          engine === 'pglite'
            ? { kind: 'cursor' }
            : { kind: 'copy', beside: (work) => withDumpSession(url, work) },
          onTable,
        ),
      );
    },
    async load(request) {
      if ((await readLedger(db)).length === 0 && request.expected.migrations.length > 0) {
        await migrateTo(db, request.expected.migrations);
      }
      // The embedded database's socket loses the protocol on COPY data (tested): INSERTs there.
      const { engine } = await engineOf(db);
      const { beforeCommit } = request;
      return withDumpSession(url, (session) =>
        loadDump(session, {
          path: request.path,
          rows: engine === 'pglite' ? 'insert' : 'copy',
          expected: request.expected,
          ...(beforeCommit ? { beforeCommit: (trx) => beforeCommit(createRepos(trx)) } : {}),
        }),
      );
    },
    checksums: () => db.transaction().execute((trx) => readChecksums(trx)),
    migrateTo: (names) => migrateTo(db, names),
  };
}
