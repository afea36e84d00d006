import { sql } from 'kysely';
import { differingTables, schemaMismatch, type TableChecksum } from '../../../domain/backups.ts';
import { AppError } from '../../../domain/errors.ts';
import type { Executor } from '../executor.ts';
import { ident, pinTextFormats, readDumpTables, readLedger, readSequences } from './catalog.ts';
import { tableChecksum } from './checksums.ts';
import { copyIn, type RowSink } from './copy.ts';
import { copyLineToTuple } from './copy-text.ts';
import type { DumpSession } from './session.ts';
import { readDump } from './statements.ts';

/** What a load found: each table's count and checksum after loading, and those differing from the backup. */
export type LoadOutcome = { tables: TableChecksum[]; differing: string[]; committed: boolean };

/** How a load writes COPY rows: `COPY … FROM STDIN`, or INSERTs where the server's socket cannot take COPY data (the embedded database). */
export type RowTarget = 'copy' | 'insert';

export type LoadInput = {
  path: string;
  rows: RowTarget;
  expected: { migrations: string[]; tables: TableChecksum[] };
  /** Runs in the load's transaction once every table matched, before it commits. */
  beforeCommit?: (trx: Executor) => Promise<void>;
};

/**
 * Drops the loaded tables' primary keys, unique constraints and other indexes, and returns the
 * statements that build them again. Building an index once over loaded rows is several times
 * cheaper than maintaining it row by row; rebuilding checks uniqueness as strictly as before.
 */
async function dropKeysAndIndexes(trx: Executor, tables: { name: string }[]): Promise<string[]> {
  const names = tables.map((t) => t.name);
  if (names.length === 0) return [];
  const { rows: keys } = await sql<{ table: string; name: string; def: string }>`
    SELECT c.relname AS table, con.conname AS name, pg_get_constraintdef(con.oid) AS def
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND con.contype IN ('p', 'u') AND c.relname = ANY(${names})
    ORDER BY c.relname, con.conname`.execute(trx);
  const { rows: indexes } = await sql<{ name: string; def: string }>`
    SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND t.relname = ANY(${names})
      AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid)
    ORDER BY i.relname`.execute(trx);
  for (const index of indexes) await sql.raw(`DROP INDEX ${ident(index.name)}`).execute(trx);
  for (const key of keys) {
    await sql.raw(`ALTER TABLE ${ident(key.table)} DROP CONSTRAINT ${ident(key.name)}`).execute(trx);
  }
  return [
    ...keys.map((key) => `ALTER TABLE ${ident(key.table)} ADD CONSTRAINT ${ident(key.name)} ${key.def}`),
    ...indexes.map((index) => index.def),
  ];
}

const ROWS_PER_INSERT = 500;

/** A COPY block's rows as multi-row INSERTs of ROWS_PER_INSERT rows, for a server that refuses COPY data. */
function insertRows(trx: Executor, copy: string): RowSink {
  const target = /^COPY\s+(.+?)\s+FROM\s+stdin$/is.exec(copy)?.[1];
  if (!target) throw new Error(`not a COPY statement of a Polaris dump: ${copy.slice(0, 80)}`);
  const head = `INSERT INTO ${target} OVERRIDING SYSTEM VALUE VALUES\n`;
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const statement = `${head}${batch.join(',\n')}`;
    batch = [];
    await sql.raw(statement).execute(trx);
  };
  return {
    async write(data) {
      const text = data.toString('utf8');
      for (const line of text.slice(0, -1).split('\n')) {
        batch.push(copyLineToTuple(line));
        if (batch.length === ROWS_PER_INSERT) await flush();
      }
    },
    end: flush,
    abort: async () => {},
  };
}

/** Runs a dump's statements and loads its COPY blocks, aborting an open COPY when anything fails. */
async function runDump(trx: Executor, session: DumpSession, path: string, rows: RowTarget): Promise<void> {
  let sink: RowSink | undefined;
  try {
    for await (const part of readDump(path)) {
      if (part.kind === 'statement') await sql.raw(part.text).execute(trx);
      else if (part.kind === 'copy') {
        sink = rows === 'copy' ? copyIn(session.client(), part.statement) : insertRows(trx, part.statement);
      } else if (part.kind === 'rows') await sink?.write(part.data);
      else {
        await sink?.end();
        sink = undefined;
      }
    }
  } catch (error) {
    await sink?.abort(error);
    throw error;
  }
}

class Differs extends Error {
  constructor(readonly outcome: LoadOutcome) {
    super('restored data differs from the backup');
  }
}

/**
 * Replaces every data table with the dump's rows in one transaction: foreign keys are dropped and
 * re-added (they are checked again then), user triggers are off while rows load. When any table
 * differs from the backup afterwards the transaction rolls back and the database is as before.
 */
export async function loadDump(session: DumpSession, input: LoadInput): Promise<LoadOutcome> {
  const { db } = session;
  // setval is not transactional: a rolled-back load would leave the backup's sequence positions
  // behind, and the next insert would collide with a kept row. Put them back.
  const sequences = await readSequences(db);
  const putSequencesBack = async () => {
    for (const seq of sequences) {
      await sql`SELECT setval(${ident(seq.name)}::regclass, ${seq.value}::bigint, ${seq.called})`.execute(db);
    }
  };
  try {
    return await db.transaction().execute(async (trx) => {
      const mismatch = schemaMismatch(await readLedger(trx), input.expected.migrations);
      if (mismatch) throw new AppError('conflict', mismatch);
      await pinTextFormats(trx);
      const { rows: fks } = await sql<{ table: string; name: string; def: string }>`
        SELECT c.relname AS table, con.conname AS name, pg_get_constraintdef(con.oid) AS def
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND con.contype = 'f'`.execute(trx);
      for (const fk of fks) {
        await sql.raw(`ALTER TABLE ${ident(fk.table)} DROP CONSTRAINT ${ident(fk.name)}`).execute(trx);
      }
      const tables = await readDumpTables(trx);
      const rebuild = await dropKeysAndIndexes(trx, tables);
      for (const t of tables) await sql.raw(`ALTER TABLE ${ident(t.name)} DISABLE TRIGGER USER`).execute(trx);
      if (tables.length > 0) {
        await sql.raw(`TRUNCATE ${tables.map((t) => ident(t.name)).join(', ')}`).execute(trx);
      }
      await runDump(trx, session, input.path, input.rows);
      for (const t of tables) await sql.raw(`ALTER TABLE ${ident(t.name)} ENABLE TRIGGER USER`).execute(trx);
      for (const statement of rebuild) await sql.raw(statement).execute(trx);
      for (const fk of fks) {
        await sql
          .raw(`ALTER TABLE ${ident(fk.table)} ADD CONSTRAINT ${ident(fk.name)} ${fk.def}`)
          .execute(trx);
      }
      const after: TableChecksum[] = [];
      for (const t of tables) after.push(await tableChecksum(trx, t));
      const differing = differingTables(input.expected.tables, after);
      if (differing.length > 0) throw new Differs({ tables: after, differing, committed: false });
      await input.beforeCommit?.(trx);
      return { tables: after, differing, committed: true };
    });
  } catch (error) {
    await putSequencesBack();
    if (error instanceof Differs) return error.outcome;
    throw error;
  }
}
