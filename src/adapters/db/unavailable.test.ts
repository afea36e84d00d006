import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../../test/support/postgres-server.ts';
import { AppError } from '../../domain/errors.ts';
import { createKysely, type KyselyHandle } from './connection.ts';
import { findFreePort } from './port-probe.ts';
import { databaseUnavailable, watchDatabaseTrouble } from './unavailable.ts';

const withCode = (code: string, message = 'driver said no') => Object.assign(new Error(message), { code });

describe('databaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED'), 'connection refused'],
    ['a reset connection', withCode('ECONNRESET'), 'connection reset'],
    ['an administrator shutdown (57P01)', withCode('57P01', 'terminating connection'), 'shutting down'],
    ['a crash shutdown (57P02)', withCode('57P02'), 'crashed'],
    ['a server starting up (57P03)', withCode('57P03'), 'starting up'],
    ['a connection exception (08006)', withCode('08006'), 'connection failure'],
    ['pg-pool exhausted', new Error('timeout exceeded when trying to connect'), 'no free connection'],
    ['a lost connection', new Error('Connection terminated unexpectedly'), 'connection lost'],
    [
      'a refused dual-stack connect',
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed'),
      'connection refused',
    ],
    ['a wrapped cause', new Error('query failed', { cause: withCode('ECONNRESET') }), 'connection reset'],
    [
      'a dropped table (42P01)',
      withCode('42P01', 'relation "payments" does not exist'),
      'schema is incomplete',
    ],
    [
      'a dropped column (42703)',
      withCode('42703', 'column "subscription_tier" does not exist'),
      'db migrate',
    ],
    [
      'a dropped function (42883)',
      withCode('42883', 'function get_active_subscription does not exist'),
      'schema',
    ],
  ])('classifies %s as database_unavailable, keeping the original as its cause', (_, error, reason) => {
    const mapped = databaseUnavailable(error);
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped?.code).toBe('database_unavailable');
    expect(mapped?.message).toContain(reason);
    expect(mapped?.cause).toBe(error);
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value')],
    ['a NUL in text', withCode('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
    ['a syntax error', withCode('42601', 'syntax error at or near')],
    ['a plain bug', new TypeError('x is undefined')],
    ['another AppError', new AppError('conflict', 'taken')],
  ])('leaves %s alone', (_, error) => {
    expect(databaseUnavailable(error)).toBeUndefined();
  });
});

describe('queries through createKysely when the database is gone', () => {
  let server: PostgresServer;
  let live: KyselyHandle;
  beforeAll(async () => {
    server = await startPostgres({ maxConnections: 20 });
    live = createKysely(server.url, { max: 2 });
    await sql`SELECT 1`.execute(live.db);
  });
  afterAll(async () => {
    await live.db.destroy();
    server.stop();
  });

  it('throws AppError database_unavailable for a closed port, and reports it to a watcher', async () => {
    const dead = createKysely(`postgresql://polaris@127.0.0.1:${await findFreePort()}/none`, { max: 1 });
    try {
      const { trouble } = await watchDatabaseTrouble(async () => {
        const error = await sql`SELECT 1`.execute(dead.db).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('database_unavailable');
        return 'swallowed';
      });
      expect(trouble?.message).toContain('connection refused');
    } finally {
      await dead.db.destroy();
    }
  });

  it('rejects with the outage when the work throws something else after hitting it (better-auth wraps it in a 500)', async () => {
    const dead = createKysely(`postgresql://polaris@127.0.0.1:${await findFreePort()}/none`, { max: 1 });
    try {
      const outcome = await watchDatabaseTrouble(async () => {
        await sql`SELECT 1`.execute(dead.db).catch(() => undefined);
        throw new Error('Failed to get session');
      }).catch((e: unknown) => e);
      expect(outcome).toBeInstanceOf(AppError);
      expect((outcome as AppError).code).toBe('database_unavailable');
      const unrelated = await watchDatabaseTrouble(async () => {
        throw new Error('a bug of our own');
      }).catch((e: unknown) => e);
      expect((unrelated as Error).message).toBe('a bug of our own');
    } finally {
      await dead.db.destroy();
    }
  });

  it('throws database_unavailable when every pooled connection is busy past the connect timeout', async () => {
    const pool = createKysely(server.url, { max: 1 });
    try {
      let release: () => void = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      const holding = pool.db.transaction().execute(async (trx) => {
        await sql`SELECT 1`.execute(trx);
        await held;
      });
      const error = await sql`SELECT 2`.execute(pool.db).catch((e: unknown) => e);
      release();
      await holding;
      expect((error as AppError).code).toBe('database_unavailable');
      expect((error as AppError).message).toContain('no free connection');
    } finally {
      await pool.db.destroy();
    }
  });

  it('throws database_unavailable, in and out of transactions, once the server has stopped', async () => {
    // Clients connected while the server dies are the outage work's (pg 'error' handlers): start fresh.
    await live.db.destroy();
    server.stop();
    live = createKysely(server.url, { max: 2 });
    const error = await sql`SELECT 3`.execute(live.db).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('database_unavailable');
    const again = await live.db
      .transaction()
      .execute((trx) => sql`SELECT 4`.execute(trx))
      .catch((e: unknown) => e);
    expect((again as AppError).code).toBe('database_unavailable');
  });
});
