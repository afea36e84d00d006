import { AsyncLocalStorage } from 'node:async_hooks';
import type { DatabaseConnection, Dialect, Driver, QueryResult } from 'kysely';
import { AppError } from '../../domain/errors.ts';

// Driver error codes (errno and SQLSTATE) that mean "no usable connection", not "bad query".
const CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection lost',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  '53300': 'too many connections',
  '57P01': 'the server is shutting down',
  '57P02': 'the server crashed',
  '57P03': 'the server is starting up',
};

// pg and pg-pool say these in words only, with no code.
const MESSAGES: [RegExp, string][] = [
  [/timeout exceeded when trying to connect/i, 'no free connection in the pool'],
  [/connection terminated/i, 'connection lost'],
  [/(not queryable|connection error)/i, 'connection lost'],
  [/cannot use a pool after calling end/i, 'the pool is closed'],
];

function reasonOf(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 4) return undefined;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string') {
    if (CODES[code]) return CODES[code];
    if (code.startsWith('08')) return 'connection failure';
  }
  if (typeof message === 'string') {
    const hit = MESSAGES.find(([pattern]) => pattern.test(message));
    if (hit) return hit[1];
  }
  // Node reports a refused dual-stack connect as an AggregateError of the per-address errors.
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = reasonOf(inner, depth + 1);
      if (found) return found;
    }
  }
  return reasonOf(cause, depth + 1);
}

// A table, column or function the code needs is gone: a billing rollback, or SQL run by hand.
// Readiness names what is missing (schema check); a request answers 503 until it is migrated back.
const SCHEMA_CODES = new Set(['42P01', '42703', '42883']);

function missingSchema(error: unknown): AppError | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !SCHEMA_CODES.has(code)) return undefined;
  const missing = new AppError(
    'database_unavailable',
    `the database schema is incomplete (${String(message)}); an operator must run polaris db migrate`,
  );
  missing.cause = error;
  return missing;
}

/** AppError('database_unavailable') when a driver error means the database cannot be reached or its schema is incomplete (the original as its cause), else undefined. */
export function databaseUnavailable(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error.code === 'database_unavailable' ? error : undefined;
  const schema = missingSchema(error);
  if (schema) return schema;
  const reason = reasonOf(error);
  if (!reason) return undefined;
  const unavailable = new AppError(
    'database_unavailable',
    `the database is unavailable (${reason}); retry shortly`,
  );
  unavailable.cause = error;
  return unavailable;
}

const watched = new AsyncLocalStorage<{ trouble: AppError | undefined }>();

function classified(error: unknown): unknown {
  const unavailable = databaseUnavailable(error);
  if (!unavailable) return error;
  const store = watched.getStore();
  if (store && !store.trouble) store.trouble = unavailable;
  return unavailable;
}

async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw classified(error);
  }
}

/**
 * Runs work and reports the first database outage any query inside it hit, even when a library in
 * between (better-auth) caught that error and answered something else, or threw something else.
 */
export async function watchDatabaseTrouble<T>(
  work: () => Promise<T>,
): Promise<{ value: T; trouble: AppError | undefined }> {
  const store: { trouble: AppError | undefined } = { trouble: undefined };
  try {
    const value = await watched.run(store, work);
    return { value, trouble: store.trouble };
  } catch (error) {
    // better-auth rethrows an outage as its own APIError ("Failed to get session", a 500): the
    // outage it hit is the answer, or a stopped database would read as a bug.
    throw store.trouble ?? error;
  }
}

class WatchedConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}
  executeQuery<R>(query: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> {
    return mapped(() => this.inner.executeQuery<R>(query));
  }
  async *streamQuery<R>(
    query: Parameters<DatabaseConnection['streamQuery']>[0],
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
    } catch (error) {
      throw classified(error);
    }
  }
}

const innerOf = (connection: DatabaseConnection) =>
  connection instanceof WatchedConnection ? connection.inner : connection;

function watchedDriver(driver: Driver): Driver {
  type Compile = Parameters<NonNullable<Driver['savepoint']>>[2];
  const savepoint =
    (call: Driver['savepoint']) => (connection: DatabaseConnection, name: string, compile: Compile) =>
      mapped(() => call!.call(driver, innerOf(connection), name, compile));
  return {
    init: () => mapped(() => driver.init()),
    acquireConnection: async () => new WatchedConnection(await mapped(() => driver.acquireConnection())),
    beginTransaction: (c, settings) => mapped(() => driver.beginTransaction(innerOf(c), settings)),
    commitTransaction: (c) => mapped(() => driver.commitTransaction(innerOf(c))),
    rollbackTransaction: (c) => mapped(() => driver.rollbackTransaction(innerOf(c))),
    releaseConnection: (c) => driver.releaseConnection(innerOf(c)),
    destroy: () => driver.destroy(),
    ...(driver.savepoint ? { savepoint: savepoint(driver.savepoint) } : {}),
    ...(driver.rollbackToSavepoint ? { rollbackToSavepoint: savepoint(driver.rollbackToSavepoint) } : {}),
    ...(driver.releaseSavepoint ? { releaseSavepoint: savepoint(driver.releaseSavepoint) } : {}),
  };
}

/**
 * Wraps a Kysely dialect so every query through it (ours and better-auth's) fails with
 * AppError('database_unavailable') when the database is down, restarting, or the pool is exhausted.
 */
export function withUnavailableErrors(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => watchedDriver(dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}
