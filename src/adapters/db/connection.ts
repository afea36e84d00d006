import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { AppError } from '../../domain/errors.ts';
import type { Database } from './schema.ts';
import { withUnavailableErrors } from './unavailable.ts';

/** The URL with its password replaced, safe for logs, errors and health output. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable database url>';
  }
}

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  '28P01': 'password authentication failed',
  '28000': 'authentication rejected',
  '3D000': 'database does not exist',
  '57P03': 'the database is starting up',
};

/** Maps a driver error on connect to AppError('database_unavailable') naming the redacted URL. */
export function connectionError(url: string, error: unknown): AppError {
  const driverError = error instanceof AppError && error.cause ? error.cause : error;
  const code = (driverError as { code?: string } | null)?.code ?? '';
  const reason = CONNECTION_CODES[code] ?? (error instanceof Error ? error.message : String(error));
  return new AppError('database_unavailable', `cannot reach the database at ${redactUrl(url)}: ${reason}`);
}

export type KyselyHandle = { db: Kysely<Database>; pool: pg.Pool };

/** A Kysely instance over a pg pool; connecting is lazy, so call verifyConnection first. */
export function createKysely(url: string, options: { max?: number } = {}): KyselyHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'polaris',
  });
  // A client that loses its server must never crash the process: pg-pool listens on idle clients
  // only, so a client checked out (inside a transaction, say) needs a listener of its own. The
  // query in flight still fails, and pg-pool discards the broken client on release.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<Database>({ dialect: withUnavailableErrors(new PostgresDialect({ pool })) });
  return { db, pool };
}

/** Runs SELECT 1; throws AppError('database_unavailable') with the redacted URL on failure. */
export async function verifyConnection(db: Kysely<Database>, url: string): Promise<void> {
  try {
    await sql`SELECT 1`.execute(db);
  } catch (error) {
    throw connectionError(url, error);
  }
}
