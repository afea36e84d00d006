import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { startServer } from '../test/support/cli.ts';

/** Seconds from `polaris start` to 200 on /api/health/ready, on a fresh and on an existing data folder. */
export async function runStartupBench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'polaris-bench-'));
  const env = {
    POLARIS_DATA_DIR: join(dir, 'data'),
    POLARIS_DB_PORT: String(await findFreePort()),
    POLARIS_EMULATOR_PORT: String(await findFreePort()),
  };
  const results: Record<string, number> = {};
  try {
    for (const label of ['fresh_folder_ready_s', 'existing_folder_ready_s']) {
      const started = performance.now();
      const server = await startServer(env, await findFreePort(), 120_000);
      results[label] = Math.round((performance.now() - started) / 10) / 100;
      server.child.kill('SIGTERM');
      await server.exited;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/startup.ts')) {
  console.log(JSON.stringify(await runStartupBench(), null, 2));
}
