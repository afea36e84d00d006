import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DumpPart, readDump } from './statements.ts';

const dir = mkdtempSync(join(tmpdir(), 'polaris-dump-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function dumpFile(text: string): string {
  files += 1;
  const path = join(dir, `d${files}.sql`);
  writeFileSync(path, text);
  return path;
}

/** The parts with each COPY block's rows joined, so any chunking of the file reads the same. */
async function parts(path: string, chunkBytes?: number) {
  const out: (Exclude<DumpPart, { kind: 'rows' }> | { kind: 'rows'; text: string })[] = [];
  for await (const part of readDump(path, chunkBytes)) {
    if (part.kind !== 'rows') out.push(part);
    else {
      const last = out.at(-1);
      if (last?.kind === 'rows') last.text += part.data.toString('utf8');
      else out.push({ kind: 'rows', text: part.data.toString('utf8') });
    }
  }
  return out;
}

// Rows whose text looks like the markers: a backslash-dot, semicolons, quotes, a multi-byte character.
const DUMP = [
  '-- Polaris backup: data only',
  "SET LOCAL TimeZone = 'UTC';",
  '',
  '-- table a: 3 rows',
  'COPY "a" ("id", "note") FROM stdin;',
  "1\tit's; a \\\\. path",
  '2\t\\N',
  '3\tline\\nbreak ₹ \\\\.',
  '\\.',
  '',
  '-- table b: 0 rows',
  'COPY "b" ("id") FROM stdin;',
  '\\.',
  "INSERT INTO \"c\" (\"v\") VALUES ('x;y'),('it''s');",
  '',
  '-- sequences',
  'SELECT setval(\'"a_id_seq"\', 3, true);',
  '',
].join('\n');

const EXPECTED = [
  { kind: 'statement', text: "-- Polaris backup: data only\nSET LOCAL TimeZone = 'UTC'" },
  { kind: 'copy', statement: 'COPY "a" ("id", "note") FROM stdin' },
  { kind: 'rows', text: "1\tit's; a \\\\. path\n2\t\\N\n3\tline\\nbreak ₹ \\\\.\n" },
  { kind: 'copy-end' },
  { kind: 'copy', statement: 'COPY "b" ("id") FROM stdin' },
  { kind: 'copy-end' },
  { kind: 'statement', text: "INSERT INTO \"c\" (\"v\") VALUES ('x;y'),('it''s')" },
  { kind: 'statement', text: '-- sequences\nSELECT setval(\'"a_id_seq"\', 3, true)' },
];

describe('readDump', () => {
  it('splits statements and COPY blocks, the rows passed through as they are', async () => {
    expect(await parts(dumpFile(DUMP))).toEqual(EXPECTED);
  });

  it('reads the same whatever the chunk boundaries (every split of markers, quotes and characters)', async () => {
    const path = dumpFile(DUMP);
    for (const size of [1, 2, 3, 4, 5, 7, 11, 64]) expect(await parts(path, size)).toEqual(EXPECTED);
  });

  it('gives rows only as whole lines', async () => {
    for await (const part of readDump(dumpFile(DUMP), 5)) {
      if (part.kind === 'rows') expect(part.data.at(-1)).toBe(0x0a);
    }
  });

  it('refuses a dump that ends inside the rows of a COPY block', async () => {
    const path = dumpFile('COPY "a" ("id") FROM stdin;\n1\n2\n');
    await expect(parts(path)).rejects.toThrow(/ends inside the rows of a COPY block/);
  });

  it('refuses a dump that ends inside a quoted value or in the middle of a statement', async () => {
    await expect(parts(dumpFile("INSERT INTO a VALUES ('x;"))).rejects.toThrow(/inside a quoted value/);
    await expect(parts(dumpFile('INSERT INTO a VALUES (1)'))).rejects.toThrow(/middle of a statement/);
  });
});
