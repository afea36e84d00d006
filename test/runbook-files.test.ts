import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RUNBOOK_QUERIES_PATH, RUNBOOK_ROLLBACK_PATH } from './support/runbook-sql.ts';

const SHARED = fileURLToPath(new URL('../../shared/', import.meta.url));

describe('runbook SQL fixtures', () => {
  it.each([
    ['runbook-queries.sql', RUNBOOK_QUERIES_PATH],
    ['runbook-rollback.sql', RUNBOOK_ROLLBACK_PATH],
  ])('test/fixtures/%s is an unchanged copy of the one in ../shared/', (name, copy) => {
    const original = `${SHARED}${name}`;
    if (!existsSync(original)) {
      console.warn(`../shared/${name} not present beside this checkout; comparing skipped`);
      return;
    }
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(original, 'utf8'));
  });
});
