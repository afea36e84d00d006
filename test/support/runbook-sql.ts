import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A copy of ../shared/runbook-queries.sql kept in the repo (test/runbook-files.test.ts keeps them equal). */
export const RUNBOOK_QUERIES_PATH = fileURLToPath(
  new URL('../fixtures/runbook-queries.sql', import.meta.url),
);
export const RUNBOOK_ROLLBACK_PATH = fileURLToPath(
  new URL('../fixtures/runbook-rollback.sql', import.meta.url),
);

/** The named statements of runbook-queries.sql, split on its "-- @query <name>" lines. */
export function runbookQueries(): { name: string; sql: string }[] {
  const text = readFileSync(RUNBOOK_QUERIES_PATH, 'utf8');
  const parts = text.split(/^-- @query /m).slice(1);
  return parts.map((part) => {
    const newline = part.indexOf('\n');
    const name = part.slice(0, newline).split(' ')[0] ?? '';
    return { name, sql: part.slice(newline + 1).trim() };
  });
}

/** Splits SQL into statements on semicolons at line ends (enough for the runbook's plain SQL). */
export function statements(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
