import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { openPsql } from '../../../test/support/psql.ts';
import { createKysely, type KyselyHandle } from './connection.ts';
import { embeddedUrl, ownConnectionUrl, serveEmbedded } from './embedded.ts';
import { wireMessage } from './pglite-wire.ts';
import { findFreePort } from './port-probe.ts';

const IDLE_MS = 1_000; // long enough that a loaded machine never stalls a live client that long

/** A bare wire-protocol client, for exchanges that pg and psql never leave unfinished. */
async function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let buffer = Buffer.alloc(0);
  const messages: { type: string; body: string }[] = [];
  const waiters: (() => void)[] = [];
  socket.on('data', (d) => {
    buffer = Buffer.concat([buffer, d]);
    while (buffer.length >= 5 && buffer.length >= 1 + buffer.readInt32BE(1)) {
      const end = 1 + buffer.readInt32BE(1);
      messages.push({ type: buffer.toString('latin1', 0, 1), body: buffer.toString('latin1', 5, end) });
      buffer = buffer.subarray(end);
    }
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const waitFor = async (type: string) => {
    while (!messages.some((m) => m.type === type)) await new Promise<void>((r) => waiters.push(r));
  };
  const params = 'user\0postgres\0database\0postgres\0\0';
  const startup = Buffer.alloc(8 + params.length);
  startup.writeInt32BE(startup.length, 0);
  startup.writeInt32BE(196_608, 4);
  startup.write(params, 8, 'latin1');
  socket.write(startup);
  await waitFor('Z'); // ReadyForQuery
  return { socket, closed, waitFor, messages };
}

describe('outside clients beside the embedded server', () => {
  let lite: PGlite;
  let server: PGLiteSocketServer;
  let own: KyselyHandle;
  let url = '';
  let port = 0;
  const count = async (where = 'true') =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM probe WHERE ${sql.raw(where)}`.execute(own.db))
      .rows[0]?.n;

  beforeAll(async () => {
    lite = await PGlite.create({ loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    port = await findFreePort();
    server = await serveEmbedded(lite, port, { idleInTransactionMs: IDLE_MS });
    url = embeddedUrl(port);
    own = createKysely(ownConnectionUrl(url), { max: 1 });
    await sql`CREATE TABLE probe (v text)`.execute(own.db);
  });
  afterAll(async () => {
    await own?.db.destroy();
    await server?.stop();
    await lite?.close();
  });
  beforeEach(async () => {
    await sql`TRUNCATE probe`.execute(own.db);
    await sql`INSERT INTO probe VALUES ('committed')`.execute(own.db);
  });

  /** What the server's own connection sees of the session state outside clients could have set. */
  async function ownSessionState() {
    const { rows } = await sql<Record<string, unknown>>`
      SELECT current_setting('search_path') AS search_path,
             current_setting('statement_timeout') AS statement_timeout,
             (SELECT count(*)::int FROM pg_prepared_statements) AS prepared,
             (SELECT count(*)::int FROM pg_listening_channels()) AS listening,
             to_regclass('pg_temp.probe') IS NULL AS no_temp_probe`.execute(own.db);
    return { ...rows[0], probe: await count() };
  }
  const CLEAN = {
    search_path: 'public',
    statement_timeout: '0',
    prepared: 0,
    listening: 0,
    no_temp_probe: true,
    probe: 1,
  };

  it('keeps SET, search_path, a temp table, a prepared statement and LISTEN of a pg client out of the server', async () => {
    const leave = async (client: pg.Client) => {
      await client.connect();
      await client.query('CREATE TEMP TABLE probe (v text)'); // shadows public.probe in the session
      await client.query({ name: 'leak', text: 'SELECT 1' });
      await client.query('PREPARE leaked AS SELECT 2');
      await client.query('LISTEN leak');
      await client.query(`SET search_path = ''`);
      await client.query(`SET statement_timeout = '1ms'`);
    };
    const stays = new pg.Client({ connectionString: url });
    await leave(stays);
    expect(await ownSessionState()).toEqual(CLEAN);

    const goes = new pg.Client({ connectionString: url });
    await leave(goes);
    await goes.end();
    expect(await ownSessionState()).toEqual(CLEAN);
    await stays.end();
  });

  it('keeps what psql sets out of the server, whether psql stays connected or quits', async () => {
    const psql = openPsql(url);
    psql.send(`SET search_path = ''; CREATE TEMP TABLE probe (v text); PREPARE leaked AS SELECT 1;`);
    psql.send(`SELECT 'psql-' || 'ready';`);
    await psql.waitFor('psql-ready');
    expect(await ownSessionState()).toEqual(CLEAN);
    const done = await psql.end();
    expect(done.code).toBe(0);
    expect(await ownSessionState()).toEqual(CLEAN);
  });

  it('rolls back a pg client idle in a transaction past the limit, tells it 25P03, and serves the others', async () => {
    const idle = new pg.Client({ connectionString: url });
    const told = new Promise<Error & { code?: string; severity?: string }>((resolve) =>
      idle.on('error', resolve),
    );
    const ended = new Promise<void>((resolve) => idle.on('end', () => resolve()));
    await idle.connect();
    await idle.query('BEGIN');
    await idle.query(`INSERT INTO probe VALUES ('uncommitted')`);

    const other = new pg.Client({ connectionString: url });
    await other.connect(); // queued behind the open transaction until it is rolled back
    expect((await other.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(await count()).toBe(1);
    const error = await told;
    expect(error.code).toBe('25P03');
    expect(error.severity).toBe('FATAL');
    expect(error.message).toMatch(/^terminating connection due to idle-in-transaction timeout \(1 s\)/);
    await ended;
    await other.end();
  });

  it('rolls back psql idle after BEGIN past the limit and shows psql the 25P03 error', async () => {
    const psql = openPsql(url);
    psql.send(`BEGIN; INSERT INTO probe VALUES ('uncommitted'); SELECT 'in-' || 'transaction';`);
    await psql.waitFor('in-transaction');
    expect(await count()).toBe(1); // answered once psql's transaction was rolled back
    psql.send(`SELECT 'after-' || 'timeout';`);
    const done = await psql.end();
    expect(done.stderr).toContain('FATAL:  25P03: terminating connection due to idle-in-transaction timeout');
    expect(done.stdout).not.toContain('after-timeout');
    expect(done.code).not.toBe(0);
  });

  it('never cuts the server own connection, however long its transaction idles', async () => {
    await own.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO probe VALUES ('own')`.execute(trx);
      await new Promise((r) => setTimeout(r, IDLE_MS * 2)); // the idle time under test
      await sql`INSERT INTO probe VALUES ('own again')`.execute(trx);
    });
    expect(await count()).toBe(3);
  });

  it('rolls back the unfinished exchange of a client that leaves or idles before Sync', async () => {
    const insert = Buffer.concat([
      wireMessage('P', Buffer.from(`\0INSERT INTO probe VALUES ('half')\0\0\0`)),
      wireMessage('B', Buffer.alloc(8)),
      wireMessage('E', Buffer.alloc(5)),
    ]);
    const leaver = await rawClient(port);
    leaver.socket.write(insert);
    await leaver.waitFor('C'); // CommandComplete: the row is written, its transaction open
    leaver.socket.destroy();
    expect(await count(`v = 'half'`)).toBe(0);

    const idler = await rawClient(port);
    idler.socket.write(insert);
    await idler.waitFor('C');
    expect(await count(`v = 'half'`)).toBe(0); // answered once the idler was cut
    await idler.closed;
    expect(idler.messages.find((m) => m.type === 'E')?.body).toContain('C25P03\0');
    expect(await count()).toBe(1);
  });
});
