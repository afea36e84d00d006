import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RUNBOOK_QUERIES_PATH, RUNBOOK_ROLLBACK_PATH } from './support/runbook-sql.ts';

// The fixtures are the committed copies of ../shared's runbook SQL. Their sha256, pinned here,
// holds on any clone; the comparison with the originals needs ../shared beside the checkout (or
// POLARIS_SHARED_DIR), and fails without it unless POLARIS_SHARED_DIR=none skips it knowingly (CI).
const FIXTURES: [name: string, copy: string, sha256: string][] = [
  [
    'runbook-queries.sql',
    RUNBOOK_QUERIES_PATH,
    'c230d3f880cb923cebb5ad8a9951bf62153d4d80dfc886c423dfe5f380dfd543',
  ],
  [
    'runbook-rollback.sql',
    RUNBOOK_ROLLBACK_PATH,
    '4b824f9895ecbd13fceba2c1bb9087210b4ce1330cd21a744599df4ec0e6a0f8',
  ],
];
const DEFAULT_SHARED = fileURLToPath(new URL('../../shared/', import.meta.url));
const sharedDir = process.env.POLARIS_SHARED_DIR || DEFAULT_SHARED;
const skipComparison = sharedDir === 'none';
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('runbook SQL fixtures', () => {
  it.each(FIXTURES)(
    'test/fixtures/%s has the sha256 of the copy taken from ../shared/',
    (_name, copy, pinned) => {
      expect(sha256(copy)).toBe(pinned);
    },
  );

  it.skipIf(skipComparison).each(FIXTURES)(
    'test/fixtures/%s is an unchanged copy of the one in ../shared/',
    (name, copy, pinned) => {
      const original = join(sharedDir, name);
      if (!existsSync(original)) {
        throw new Error(
          `${original} not found: put ../shared/ beside this checkout, point POLARIS_SHARED_DIR at it, ` +
            'or set POLARIS_SHARED_DIR=none to skip this comparison knowingly',
        );
      }
      expect(readFileSync(copy, 'utf8')).toBe(readFileSync(original, 'utf8'));
      expect(sha256(original)).toBe(pinned);
    },
  );
});
