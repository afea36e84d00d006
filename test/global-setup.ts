import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { type PostgresServer, startPostgres } from './support/postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgliteTemplate: string;
  }
}

/**
 * Starts one real PostgreSQL server for the run and builds one blank PGlite data folder that each
 * test file loads (an initdb costs ~4 s; a load ~0.6 s). POLARIS_TEST_DB=none skips both, for
 * suites that need no database (the emulator's) while developing.
 */
export default async function setup(project: TestProject) {
  if (process.env.POLARIS_TEST_DB === 'none') {
    project.provide('pgUrl', '');
    project.provide('pgliteTemplate', '');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'polaris-test-'));
  let server: PostgresServer | undefined;
  try {
    const [pg, template] = await Promise.all([
      startPostgres(),
      (async () => {
        const lite = await PGlite.create();
        const blob = await lite.dumpDataDir('none');
        await lite.close();
        const path = join(dir, 'pglite-template.tar');
        writeFileSync(path, Buffer.from(await blob.arrayBuffer()));
        return path;
      })(),
    ]);
    server = pg;
    project.provide('pgUrl', pg.url);
    project.provide('pgliteTemplate', template);
  } catch (error) {
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return () => {
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
