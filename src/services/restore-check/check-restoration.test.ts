import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetFlags } from '../../../test/support/flags.ts';
import { serveFullApp } from '../../../test/support/full-app.ts';
import { rzpId } from '../../../test/support/seed.ts';
import { findFreePort } from '../../adapters/db/port-probe.ts';
import { createHttpProbe } from '../../adapters/http-probe.ts';
import { setFlag } from '../flags/set-flag.ts';
import { recordSmokeRun } from '../smoke/record-smoke-run.ts';
import { checkRestoration } from './check-restoration.ts';
import type { RestorationSeams, RestoreItem } from './restoration-report.ts';

describeEachBackend('restore-check: the restoration checklist by machine', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;

  // A real, simple db verify: the runbook's "two live subscriptions for one user" query.
  const verifyDatabase: RestorationSeams['verifyDatabase'] = async () => {
    const dupes =
      await sql`SELECT user_id FROM subscriptions WHERE status IN ('active', 'authenticated', 'pending')
      GROUP BY user_id HAVING count(*) > 1`.execute(get().db);
    return {
      ok: dupes.rows.length === 0,
      checks: [{ name: 'two live subscriptions', count: dupes.rows.length }],
    };
  };
  const wired: RestorationSeams = { verifyDatabase, openCriticalIncidents: async () => [] };

  const check = async (seams: RestorationSeams = wired, url = served.url) => {
    const report = await checkRestoration({
      ctx: { ctx: t.ctx, http: createHttpProbe(url, 5_000), seams },
      input: { url: `${url}/` },
    });
    return {
      report,
      item: (name: string) => report.items.find((i) => i.name.startsWith(name)) as RestoreItem,
    };
  };
  const passedSmokeRun = () =>
    recordSmokeRun({
      ctx: t.ctx,
      input: {
        ok: true,
        url: `${served.url}/`,
        full: false,
        startedAt: new Date(),
        durationMs: 5,
        steps: [],
      },
    });

  beforeAll(async () => {
    t = await createTestContext(get());
    served = await serveFullApp(t.ctx);
  });
  afterAll(async () => {
    await served?.close();
    await t?.close();
  });
  beforeEach(async () => {
    const db = get().db;
    await resetFlags(db);
    await db.deleteFrom('smoke_runs').execute();
    await db.deleteFrom('razorpay_webhook_events').execute();
    await db.deleteFrom('payments').execute();
    await passedSmokeRun();
  });

  it('a healthy system: every item ✓ and the report ok', async () => {
    const { report } = await check();
    expect(report.items.map((i) => [i.name, i.status])).toEqual([
      ['health and readiness', 'pass'],
      ['payments on, no maintenance or read-only', 'pass'],
      ['webhook backlog drained', 'pass'],
      ['payment failure rate (15 min) under 5 %', 'pass'],
      ['db verify clean', 'pass'],
      ['smoke run passed within the last hour', 'pass'],
      ['no open Critical incident', 'pass'],
    ]);
    expect(report.ok).toBe(true);
  });

  it('payments off and maintenance on: ✗ naming both, with the commands that lift them', async () => {
    const actor = 'test';
    await setFlag({ ctx: t.ctx, input: { name: 'payments', state: 'off', reason: 'drill', actor } });
    await setFlag({
      ctx: t.ctx,
      input: { name: 'maintenance', state: 'on', reason: 'drill', message: 'back soon', actor },
    });
    const { report, item } = await check();
    expect(report.ok).toBe(false);
    expect(item('payments on')).toMatchObject({
      status: 'fail',
      detail: 'active: payments off, maintenance on',
      fix: 'npx polaris payments on --reason "…"; npx polaris maintenance off --reason "…"',
    });
  });

  it('a pending webhook event older than 5 minutes: ✗ with its age and the worker fix', async () => {
    await get()
      .db.insertInto('razorpay_webhook_events')
      .values({
        event_id: rzpId('evt'),
        event_type: 'payment.captured',
        payload: '{}',
        created_at: sql<Date>`now() - interval '10 minutes'`,
      })
      .execute();
    const { report, item } = await check();
    expect(report.ok).toBe(false);
    expect(item('webhook backlog')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^1 pending, the oldest 6\d\d s old/),
      fix: expect.stringContaining('npx polaris worker'),
    });
  });

  it('failed payments over 5 % in the last 15 minutes: ✗ with the rate', async () => {
    const at = t.ctx.now();
    await get()
      .db.insertInto('payments')
      .values([
        { razorpay_payment_id: rzpId('pay'), amount: 100, status: 'captured', captured_at: at },
        { razorpay_payment_id: rzpId('pay'), amount: 100, status: 'failed', failed_at: at },
      ])
      .execute();
    const { report, item } = await check();
    expect(report.ok).toBe(false);
    expect(item('payment failure rate')).toMatchObject({
      status: 'fail',
      detail: '1 failed of 2 payments in 15 min (50.0 %)',
      fix: expect.stringContaining('Payment failures over 5 %'),
    });
  });

  it('no smoke run in the last hour, or only a failed one: ✗ with the smoke command for this URL', async () => {
    await get().db.deleteFrom('smoke_runs').execute();
    await get()
      .db.insertInto('smoke_runs')
      .values({
        url: `${served.url}/`,
        ok: true,
        full_run: false,
        passed: 7,
        failed: 0,
        skipped: 0,
        steps: '[]',
        started_at: new Date(Date.now() - 2 * 3_600_000),
        finished_at: sql<Date>`now() - interval '2 hours'`,
      } as never)
      .execute();
    const stale = await check();
    expect(stale.item('smoke run')).toMatchObject({
      status: 'fail',
      detail: 'no smoke run recorded in the last hour',
      fix: `npx polaris smoke --url ${served.url}/`,
    });
    await recordSmokeRun({
      ctx: t.ctx,
      input: {
        ok: false,
        url: `${served.url}/`,
        full: false,
        startedAt: new Date(),
        durationMs: 5,
        steps: [{ name: 'health', status: 'fail', detail: 'down', durationMs: 1 }],
      },
    });
    const failed = await check();
    expect(failed.report.ok).toBe(false);
    expect(failed.item('smoke run').detail).toMatch(/^the last run \(\d+ against .*\) failed 1 step\(s\)$/);
  });

  it('a failed smoke run after a passed one: ✗, the latest run decides', async () => {
    await recordSmokeRun({
      ctx: t.ctx,
      input: {
        ok: false,
        url: `${served.url}/`,
        full: false,
        startedAt: new Date(),
        durationMs: 5,
        steps: [{ name: 'readiness', status: 'fail', detail: '503', durationMs: 1 }],
      },
    });
    const { item } = await check();
    expect(item('smoke run')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/failed 1 step\(s\); run \d+ passed before it$/),
    });
  });

  it('nothing answers at the URL: health ✗ with the start command', async () => {
    const { report, item } = await check(wired, `http://127.0.0.1:${await findFreePort()}`);
    expect(report.ok).toBe(false);
    expect(item('health')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('ECONNREFUSED'),
      fix: expect.stringContaining('npx polaris start'),
    });
  });

  it('db verify: ✗ "not available" until wired, ✗ with its commands when it finds problems; incidents "not built" until wired', async () => {
    const unwired = await check({});
    expect(unwired.report.ok).toBe(false);
    expect(unwired.item('db verify')).toMatchObject({
      status: 'fail',
      detail: 'db verify not available in this build',
    });
    expect(unwired.item('no open Critical')).toMatchObject({
      status: 'skip',
      detail: expect.stringContaining('incidents: not built'),
    });

    const found = await check({ ...wired, verifyDatabase: async () => ({ ok: false, checks: [] }) });
    expect(found.item('db verify')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('npx polaris db verify --fix'),
    });
    const critical = await check({
      ...wired,
      openCriticalIncidents: async () => [{ id: 'inc_1', title: 'payments down' }],
    });
    expect(critical.item('no open Critical')).toMatchObject({
      status: 'fail',
      detail: '1 open: inc_1 payments down',
      fix: expect.stringContaining('npx polaris incident resolve inc_1'),
    });
  });
});
