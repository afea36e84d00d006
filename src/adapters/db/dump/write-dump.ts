import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { type Kysely, sql } from 'kysely';
import type { TableChecksum } from '../../../domain/backups.ts';
import type { Executor } from '../executor.ts';
import type { Database } from '../schema.ts';
import {
  type DumpTable,
  ident,
  pinTextFormats,
  readDumpTables,
  readLedger,
  readSequences,
  rowOrderSql,
  rowTextSql,
  SESSION_SETTINGS,
} from './catalog.ts';

const ROWS_PER_INSERT = 500;
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
    async write(text: string): Promise<void> {
      if (failure) throw failure;
      const bytes = Buffer.from(text, 'utf8');
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

async function dumpTable(
  trx: Executor,
  table: DumpTable,
  write: (text: string) => Promise<void>,
): Promise<TableChecksum> {
  const rowsHash = createHash('md5');
  let rows = 0;
  const head = `INSERT INTO ${ident(table.name)} (${table.columns.map(ident).join(', ')}) OVERRIDING SYSTEM VALUE VALUES\n`;
  await write(`\n-- table ${table.name}\n`);
  await sql
    .raw(
      `DECLARE polaris_dump NO SCROLL CURSOR FOR SELECT md5(x.r) AS h, x.r FROM ${ident(table.name)}
       CROSS JOIN LATERAL (SELECT ${rowTextSql(table)} AS r) x ORDER BY ${rowOrderSql(table)}`,
    )
    .execute(trx);
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await write(`${head}${batch.join(',\n')};\n`);
    batch = [];
  };
  for (;;) {
    const { rows: page } = await sql
      .raw<{ h: string; r: string }>(`FETCH ${FETCH} FROM polaris_dump`)
      .execute(trx);
    for (const row of page) {
      rowsHash.update(row.h);
      batch.push(`(${row.r})`);
      rows += 1;
      if (batch.length === ROWS_PER_INSERT) await flush();
    }
    if (page.length < FETCH) break;
  }
  await flush();
  await sql.raw('CLOSE polaris_dump').execute(trx);
  return { table: table.name, rows, checksum: rowsHash.digest('hex') };
}

/**
 * Streams every data table to `path` as plain INSERT statements (one consistent snapshot, a cursor,
 * never the whole table in memory), hashing the bytes as they are written.
 */
export async function writeDump(
  db: Kysely<Database>,
  path: string,
  onTable: (table: string) => void = () => {},
): Promise<DumpOutcome> {
  const file = hashedFile(path);
  try {
    const { tables, migrations } = await db
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
        const tables: TableChecksum[] = [];
        for (const table of await readDumpTables(trx)) {
          tables.push(await dumpTable(trx, table, file.write));
          onTable(table.name);
        }
        await file.write('\n-- sequences\n');
        for (const seq of await readSequences(trx)) {
          await file.write(`SELECT setval('${ident(seq.name)}', ${seq.value}, ${seq.called});\n`);
        }
        return { tables, migrations };
      });
    const { sha256, size } = await file.close();
    return { tables, migrations, sha256, size };
  } catch (error) {
    file.abort();
    throw error;
  }
}
