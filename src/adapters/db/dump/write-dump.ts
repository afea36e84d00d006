import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { sql } from 'kysely';
import type { TableChecksum } from '../../../domain/backups.ts';
import type { Executor } from '../executor.ts';
import {
  type DumpTable,
  ident,
  pinTextFormats,
  readDumpTables,
  readLedger,
  readSequences,
  SESSION_SETTINGS,
} from './catalog.ts';
import { tableChecksum } from './checksums.ts';
import { copyOut } from './copy.ts';
import { copyLine } from './copy-text.ts';
import type { DumpSession } from './session.ts';

const FETCH = 2_000;

/** What a finished dump holds: per-table counts and checksums, the migrations, the file's hash and size. */
export type DumpOutcome = { tables: TableChecksum[]; migrations: string[]; sha256: string; size: number };

/** A file written through a hash, waiting for the disk when its buffer is full. */
function hashedFile(path: string) {
  const out = createWriteStream(path, { flags: 'wx' });
  const hash = createHash('sha256');
  let size = 0;
  let failure: unknown;
  out.on('error', (error) => {
    failure = error;
  });
  return {
    async write(text: string | Buffer): Promise<void> {
      if (failure) throw failure;
      const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
      hash.update(bytes);
      size += bytes.length;
      if (!out.write(bytes)) await once(out, 'drain');
    },
    async close(): Promise<{ sha256: string; size: number }> {
      out.end();
      await finished(out);
      if (failure) throw failure;
      return { sha256: hash.digest('hex'), size };
    },
    abort: () => out.destroy(),
  };
}

/** The statement that starts a table's rows in the dump, and reads them back in a load. */
export function copyStatement(table: DumpTable): string {
  return `COPY ${ident(table.name)} (${table.columns.map(ident).join(', ')}) FROM stdin`;
}

/**
 * A table's rows as COPY text through a cursor, a page at a time: the embedded database runs a
 * statement to its end before its socket sends anything, so `COPY … TO STDOUT` would hold a
 * whole table in memory there.
 */
async function cursorRows(trx: Executor, table: DumpTable, write: (text: string) => Promise<void>) {
  const columns = table.columns.map((c, i) => `${ident(c)}::text AS c${i}`).join(', ');
  await sql
    .raw(`DECLARE polaris_dump NO SCROLL CURSOR FOR SELECT ${columns} FROM ${ident(table.name)}`)
    .execute(trx);
  for (;;) {
    const { rows } = await sql
      .raw<Record<string, string | null>>(`FETCH ${FETCH} FROM polaris_dump`)
      .execute(trx);
    if (rows.length > 0) {
      const lines = rows.map((row) => copyLine(table.columns.map((_, i) => row[`c${i}`] ?? null)));
      await write(`${lines.join('\n')}\n`);
    }
    if (rows.length < FETCH) break;
  }
  await sql.raw('CLOSE polaris_dump').execute(trx);
}

/**
 * How a dump reads rows: on PostgreSQL `COPY … TO STDOUT`, with the checksums taken meanwhile on a
 * second connection (`beside`) that shares the snapshot; on the embedded database, one session
 * underneath, a cursor and the checksums in turn.
 */
export type RowSource =
  | { kind: 'copy'; beside: <T>(work: (session: DumpSession) => Promise<T>) => Promise<T> }
  | { kind: 'cursor' };

/** Every table's count and checksum on another connection, in the snapshot `snapshot` exported by the dump. */
async function checksumsBeside(
  source: Extract<RowSource, { kind: 'copy' }>,
  snapshot: string,
  tables: DumpTable[],
): Promise<TableChecksum[]> {
  if (!/^[0-9A-F-]+$/i.test(snapshot)) throw new Error(`unexpected snapshot id: ${snapshot}`);
  return source.beside((session) =>
    session.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await sql.raw(`SET TRANSACTION SNAPSHOT '${snapshot}'`).execute(trx);
        await sql`SET TRANSACTION READ ONLY`.execute(trx);
        await pinTextFormats(trx);
        const out: TableChecksum[] = [];
        for (const table of tables) out.push(await tableChecksum(trx, table));
        return out;
      }),
  );
}

/**
 * Streams every data table to `path` as `COPY … FROM stdin` blocks of COPY text, as pg_dump's plain
 * format does (one consistent snapshot, never a whole table in memory), hashing the bytes as they
 * are written. Each table's count and checksum come from the same snapshot, by tableChecksum, the
 * query a restore compares with.
 */
export async function writeDump(
  session: DumpSession,
  path: string,
  source: RowSource,
  onTable: (table: string) => void = () => {},
): Promise<DumpOutcome> {
  const file = hashedFile(path);
  try {
    const { tables, migrations } = await session.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await sql`SET TRANSACTION READ ONLY`.execute(trx);
        await pinTextFormats(trx);
        const migrations = await readLedger(trx);
        await file.write(
          `-- Polaris backup: data only, for a database migrated to ${migrations.at(-1) ?? 'nothing'}.\n` +
            `-- Restore it with \`polaris db restore\`, which checks it first.\n` +
            `${SESSION_SETTINGS.join(';\n')};\n`,
        );
        const list = await readDumpTables(trx);
        let beside: Promise<TableChecksum[]> | undefined;
        if (source.kind === 'copy') {
          const { rows } = await sql<{ id: string }>`SELECT pg_export_snapshot() AS id`.execute(trx);
          beside = checksumsBeside(source, rows[0]?.id ?? '', list);
          beside.catch(() => {}); // awaited below; a COPY failing first must not leave it unhandled
        }
        const tables: TableChecksum[] = [];
        try {
          for (const table of list) {
            if (!beside) tables.push(await tableChecksum(trx, table));
            await file.write(`\n-- table ${table.name}\n${copyStatement(table)};\n`);
            if (source.kind === 'copy') {
              const columns = table.columns.map(ident).join(', ');
              await copyOut(session.client(), `COPY ${ident(table.name)} (${columns}) TO STDOUT`, file.write);
            } else {
              await cursorRows(trx, table, file.write);
            }
            await file.write('\\.\n');
            onTable(table.name);
          }
          await file.write('\n-- sequences\n');
          for (const seq of await readSequences(trx)) {
            await file.write(`SELECT setval('${ident(seq.name)}', ${seq.value}, ${seq.called});\n`);
          }
        } finally {
          // The exported snapshot lives as long as this transaction: keep it open until the checksums are in.
          await beside?.catch(() => {});
        }
        return { tables: beside ? await beside : tables, migrations };
      });
    const { sha256, size } = await file.close();
    return { tables, migrations, sha256, size };
  } catch (error) {
    file.abort();
    throw error;
  }
}
