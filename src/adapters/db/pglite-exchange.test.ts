import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';

describe('the embedded database served to several clients at once', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await database.pool.query('CREATE TABLE probe (id serial PRIMARY KEY, v text)');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('keeps each client extended-protocol exchange and transaction whole (no "portal does not exist")', async () => {
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: database.url, max: 4 }));
    const errors: string[] = [];
    await Promise.all(
      pools.flatMap((pool) =>
        Array.from({ length: 4 }, async (_, lane) => {
          for (let i = 0; i < 60; i++) {
            try {
              if (lane === 0) {
                const client = await pool.connect();
                try {
                  await client.query('BEGIN');
                  await client.query('INSERT INTO probe (v) VALUES ($1)', [`tx${i}`]);
                  await client.query('COMMIT');
                } finally {
                  client.release();
                }
              } else if (lane === 1) {
                await pool.query('SELECT * FROM generate_series(1, $1::int) g', [200 + i]);
              } else {
                await pool.query('INSERT INTO probe (v) VALUES ($1) RETURNING id', [`row${i}`]);
              }
            } catch (error) {
              errors.push(String(error));
            }
          }
        }),
      ),
    );
    await Promise.all(pools.map((pool) => pool.end()));
    expect(errors).toEqual([]);
    const count = await database.pool.query('SELECT count(*)::int AS n FROM probe');
    expect(count.rows[0].n).toBe(3 * 60 * 3);
  });
});
