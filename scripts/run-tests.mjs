#!/usr/bin/env node
// `npm test`: the whole vitest suite, then one closing line "N passed, N failed, N skipped".
// Fails when a test fails and when no test ran at all (an empty run is never green).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const report = '.test-results.json';
rmSync(report, { force: true });
const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  skipped = results.numPendingTests + (results.numTodoTests ?? 0);
} catch {
  console.error('run-tests: vitest wrote no report');
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed + failed === 0) {
  console.error('run-tests: no test ran; failing the run');
  process.exit(1);
}
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
