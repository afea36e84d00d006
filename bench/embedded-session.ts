import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { embeddedUrl, ownConnectionUrl, serveEmbedded } from '../src/adapters/db/embedded.ts';
import { findFreePort } from '../src/adapters/db/port-probe.ts';

const QUERIES = 2_000;
const ROUNDS = 5;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

type Sample = { wall: number; cpu: number };

/**
 * Microseconds per parameterised query (extended protocol, as Kysely sends) on one connection:
 * wall time, and this process's CPU time, which other load on a shared machine disturbs less.
 */
async function perQuery(client: pg.Client, between?: pg.Client): Promise<Sample> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < QUERIES; i++) {
    if (between) await between.query('SELECT 1');
    await client.query('SELECT $1::int AS n', [i]);
  }
  const used = process.cpuUsage(cpu);
  return {
    wall: ((performance.now() - started) * 1000) / QUERIES,
    cpu: (used.user + used.system) / QUERIES,
  };
}

async function served<T>(
  serve: (port: number) => Promise<PGLiteSocketServer>,
  body: (url: string) => Promise<T>,
): Promise<T> {
  const port = await findFreePort();
  const server = await serve(port);
  try {
    return await body(embeddedUrl(port));
  } finally {
    await server.stop();
  }
}

/**
 * The cost of sharing PGlite's one session safely (pglite-exchange.ts): the server's own queries
 * alone, against pglite-socket as shipped; and the reset paid each time the session passes from
 * an outside client to the server's connection.
 */
export async function runEmbeddedSessionBench(): Promise<Record<string, number>> {
  const lite = await PGlite.create();
  const plain = async (port: number) => {
    const server = new PGLiteSocketServer({ db: lite, port, host: '127.0.0.1' });
    await server.start();
    return server;
  };
  const shared = (port: number) => serveEmbedded(lite, port);
  const samples: Record<'shipped' | 'own' | 'ownPair' | 'pair', Sample[]> = {
    shipped: [],
    own: [],
    ownPair: [],
    pair: [],
  };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      samples.shipped.push(
        await served(plain, async (url) => {
          const client = await connect(url);
          const us = await perQuery(client);
          await client.end();
          return us;
        }),
      );
      await served(shared, async (url) => {
        const own = await connect(ownConnectionUrl(url));
        const ownToo = await connect(ownConnectionUrl(url));
        const outside = await connect(url);
        await outside.query(`SET search_path = ''`); // idle beside the server, its state reset once
        samples.own.push(await perQuery(own));
        samples.ownPair.push(await perQuery(own, ownToo));
        samples.pair.push(await perQuery(own, outside));
        await Promise.all([own.end(), ownToo.end(), outside.end()]);
      });
    }
  } finally {
    await lite.close();
  }
  const median = (xs: Sample[], key: keyof Sample) =>
    Math.round(xs.map((x) => x[key]).sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0);
  const results: Record<string, number> = {};
  for (const key of ['wall', 'cpu'] as const) {
    results[`own_query_shipped_${key}_us`] = median(samples.shipped, key);
    results[`own_query_shared_${key}_us`] = median(samples.own, key);
    // Two connections taking turns: both this process's own, or an outside one whose state is
    // reset before each own query; the difference is the reset.
    results[`own_own_turns_${key}_us`] = median(samples.ownPair, key);
    results[`outside_own_turns_${key}_us`] = median(samples.pair, key);
    results[`reset_per_handoff_${key}_us`] = median(samples.pair, key) - median(samples.ownPair, key);
  }
  return results;
}

if (process.argv[1]?.endsWith('bench/embedded-session.ts')) {
  console.log(JSON.stringify(await runEmbeddedSessionBench(), null, 2));
}
