import { readFileSync } from 'node:fs';
import { handle } from 'hono/vercel';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../src/adapters/db/migrator.ts';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { CRON_BUDGET_MS } from '../src/wiring/http.ts';
import { createVercelApp } from '../src/wiring/vercel.ts';
import { describeEachBackend } from './support/databases.ts';

const CRON_SECRET = 'vercel-cron-secret-0123456789';
const COMMIT = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
const LAST = loadMigrations().at(-1)!.name;
const vercelJson = JSON.parse(readFileSync(new URL('../vercel.json', import.meta.url), 'utf8')) as {
  rewrites: { source: string; destination: string }[];
  functions: Record<string, { maxDuration: number }>;
  crons: { path: string; schedule: string }[];
};

const envFor = (url: string) => ({
  POLARIS_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATABASE_URL: url,
  CRON_SECRET,
  VERCEL_GIT_COMMIT_SHA: COMMIT,
  VERCEL_URL: 'polaris-git-abc.vercel.app',
});

describeEachBackend('the Vercel entry', { migrated: true }, (get) => {
  let entry: ReturnType<typeof createVercelApp> | undefined;
  afterAll(async () => {
    await entry?.close();
  });

  it('boots on the first request, records the start once, and reports version, commit and schema', async () => {
    entry = createVercelApp(envFor(get().url));
    const fetch = handle(entry.app);
    const res = await fetch(new Request('https://polaris.example/api/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      status: 'alive',
      version: '0.1.0',
      commit: COMMIT,
      schema: LAST,
    });
    expect((await fetch(new Request('https://polaris.example/api/plans'))).status).toBe(200);
    const rows = await get().db.selectFrom('deployments').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      commit_sha: COMMIT,
      deployment_url: 'polaris-git-abc.vercel.app',
      schema_version: LAST,
    });
  });

  it('runs the cron tick Vercel Cron calls (GET with Bearer CRON_SECRET), and 401 without it', async () => {
    const fetch = handle(entry!.app);
    const [cron] = vercelJson.crons;
    const tick = await fetch(
      new Request(`https://polaris.example${cron!.path}`, {
        headers: { authorization: `Bearer ${CRON_SECRET}` },
      }),
    );
    expect(tick.status).toBe(200);
    // On a serverless host the tick is the only clock of the periodic jobs.
    expect(await tick.json()).toMatchObject({
      ok: true,
      stopped: 'drained',
      jobs: expect.arrayContaining([expect.objectContaining({ name: 'prune-request-logs', ok: true })]),
    });
    expect((await fetch(new Request(`https://polaris.example${cron!.path}`))).status).toBe(401);
  });
});

describe('the Vercel entry without a usable database', () => {
  it('answers 503 with Retry-After and boots on a later request instead of failing for good', async () => {
    const url = `postgresql://polaris:pw@127.0.0.1:${await findFreePort()}/none`;
    const entry = createVercelApp(envFor(url));
    for (let i = 0; i < 2; i++) {
      const res = await handle(entry.app)(new Request('https://polaris.example/api/health'));
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.json()).toMatchObject({ error: { code: 'database_unavailable' } });
    }
    await entry.close();
    const embedded = createVercelApp({ POLARIS_ENV: 'test', LOG_LEVEL: 'silent' });
    const res = await handle(embedded.app)(new Request('https://polaris.example/api/health'));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      error: {
        code: 'unavailable',
        message: 'DATABASE_URL must name a PostgreSQL database on a serverless host',
      },
    });
  });

  it('declares one function for every path and a cron on /api/cron/tick that ends well inside its duration', () => {
    expect(vercelJson.rewrites).toEqual([{ source: '/(.*)', destination: '/api' }]);
    expect(vercelJson.crons).toEqual([{ path: '/api/cron/tick', schedule: '*/5 * * * *' }]);
    expect(CRON_BUDGET_MS).toBeLessThan((vercelJson.functions['api/index.ts']!.maxDuration * 1000) / 2);
  });
});
