import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { AppError } from '../../domain/errors.ts';
import { acquireFolderLock, type LockOwner, readLockOwner } from './folder-lock.ts';
import { type SessionOptions, shareSession } from './pglite-exchange.ts';
import { isPortFree } from './port-probe.ts';

/** The URL a client (pg, psql) uses for the embedded database served on loopback. */
export function embeddedUrl(port: number): string {
  return `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

/**
 * The application_name of this process's own pool on an embedded database it serves. Any other
 * connection (psql, pg_dump, a CLI command in another process) is an outside client.
 */
export const OWN_APPLICATION_NAME = `polaris-${randomBytes(6).toString('hex')}`;

/** The URL this process's own pool uses for an embedded database it serves. */
export function ownConnectionUrl(url: string): string {
  const own = new URL(url);
  own.searchParams.set('application_name', OWN_APPLICATION_NAME);
  return own.toString();
}

export type ServeOptions = Pick<SessionOptions, 'idleInTransactionMs'>;

/** Serves an open PGlite on loopback, its one session shared safely among clients (pglite-exchange.ts). */
export async function serveEmbedded(
  db: PGlite,
  port: number,
  options: ServeOptions = {},
): Promise<PGLiteSocketServer> {
  // Loaded here, not at the top: a CLI command talking to a running owner never opens PGlite.
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 200 });
  shareSession(server, db, { ...options, ownApplicationName: OWN_APPLICATION_NAME });
  await server.start();
  return server;
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
export async function reserveEmbedded(
  dataDir: string,
  port: number,
  options: ServeOptions = {},
): Promise<EmbeddedReservation> {
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
        const { PGlite } = await import('@electric-sql/pglite');
        db = await PGlite.create(pgdata);
        const server = await serveEmbedded(db, port, options);
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
