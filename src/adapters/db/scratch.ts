import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { type BackupDatabase, backupDatabase, type EngineInfo } from './backups.ts';
import { createKysely } from './connection.ts';
import { embeddedUrl, ownConnectionUrl, serveEmbedded } from './embedded.ts';
import { findFreePort } from './port-probe.ts';
import type { Database } from './schema.ts';

/** A throwaway database for a drill; drop() removes it and everything in it. */
export type ScratchDatabase = {
  engine: EngineInfo['engine'];
  database: BackupDatabase;
  /** Its pool and URL, for a game day that runs a whole instance on it. */
  db: Kysely<Database>;
  url: string;
  drop: () => Promise<void>;
};

/** A new database beside the one at `url` on the same PostgreSQL server (needs CREATEDB), dropped afterwards. */
export async function scratchOnServer(url: string): Promise<ScratchDatabase> {
  const name = `polaris_drill_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = createKysely(target.toString(), { max: 2 });
  return {
    engine: 'postgresql',
    database: backupDatabase(handle.db, target.toString()),
    db: handle.db,
    url: target.toString(),
    drop: async () => {
      await handle.db.destroy();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/** A temporary in-memory PGlite served on a free loopback port; nothing touches a data folder. */
export async function scratchPglite(): Promise<ScratchDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const lite = await PGlite.create();
  const port = await findFreePort();
  const server = await serveEmbedded(lite, port);
  const url = ownConnectionUrl(embeddedUrl(port));
  const handle = createKysely(url, { max: 1 });
  return {
    engine: 'pglite',
    database: backupDatabase(handle.db, url),
    db: handle.db,
    url: embeddedUrl(port),
    drop: async () => {
      await handle.db.destroy();
      await server.stop();
      await lite.close();
    },
  };
}
