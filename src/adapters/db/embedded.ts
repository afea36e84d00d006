import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { AppError } from '../../domain/errors.ts';
import { acquireFolderLock, type LockOwner, readLockOwner } from './folder-lock.ts';
import { serializeExtendedProtocol } from './pglite-exchange.ts';
import { isPortFree } from './port-probe.ts';

/** The URL a client (pg, psql) uses for the embedded database served on loopback. */
export function embeddedUrl(port: number): string {
  return `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

/** The process currently serving this data folder, if any. */
export function embeddedOwner(dataDir: string): LockOwner | undefined {
  return readLockOwner(dataDir);
}

export type EmbeddedServer = { url: string; close: () => Promise<void> };
export type EmbeddedReservation = { start: () => Promise<EmbeddedServer>; release: () => void };

function ownedElsewhere(dataDir: string, owner: LockOwner): AppError {
  return new AppError(
    'conflict',
    `the embedded database in ${dataDir} is already served by process ${owner.pid} on 127.0.0.1:${owner.port}; stop that process first, or set DATABASE_URL`,
  );
}

/**
 * Takes the data folder and checks the port before anything is opened, so a refusal touches no
 * data. start() then opens PGlite and serves it over the Postgres wire protocol on loopback.
 */
export async function reserveEmbedded(dataDir: string, port: number): Promise<EmbeddedReservation> {
  const lock = acquireFolderLock(dataDir, port);
  if (!lock.ok) throw ownedElsewhere(dataDir, lock.owner);
  if (!(await isPortFree(port))) {
    lock.release();
    throw new AppError(
      'unavailable',
      `port ${port} (POLARIS_DB_PORT) is in use by another program; stop it or choose another port`,
    );
  }
  return {
    release: lock.release,
    start: async () => {
      const pgdata = join(dataDir, 'pgdata');
      mkdirSync(pgdata, { recursive: true });
      let db: PGlite | undefined;
      try {
        db = await PGlite.create(pgdata);
        const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 200 });
        serializeExtendedProtocol(server, db);
        await server.start();
        const opened = db;
        return {
          url: embeddedUrl(port),
          close: async () => {
            await server.stop();
            await opened.close();
            lock.release();
          },
        };
      } catch (error) {
        await db?.close().catch(() => {});
        lock.release();
        throw error;
      }
    },
  };
}
