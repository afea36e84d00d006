import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger, createTestContext } from '../../../test/support/context.ts';
import { migrateTestDatabase, openTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { type PostgresServer, startPostgres } from '../../../test/support/postgres-server.ts';
import { recordingNotify, schedulerRows } from '../../../test/support/scheduler.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { createKysely } from '../../adapters/db/connection.ts';
import { createLeaderLock, SCHEDULER_LOCK_KEY } from '../../adapters/db/leader-lock.ts';
import type { Notify } from '../../domain/notifications.ts';
import type { ServiceContext } from '../context.ts';
import { runEscalations } from '../escalation/run-escalations.ts';
import { revertExpiredFlags } from '../flags/revert-expired-flags.ts';
import { setFlag } from '../flags/set-flag.ts';
import { openIncident } from '../incidents/open-incident.ts';
import { leadSchedule, type SchedulerHandle } from './lead-schedule.ts';
import type { JobReport } from './run-scheduled-jobs.ts';

const T0 = new Date('2026-11-30T03:00:00Z');

/** One instance of Polaris: its own pool and context over the shared database, and its scheduler. */
async function instance(database: TestDatabase, name: string, clock: () => Date) {
  const handle = createKysely(database.url, { max: 3 });
  const t = await createTestContext({ ...database, ...handle, close: async () => {} });
  const { log, lines } = captureLogger();
  const ctx: ServiceContext = { ...t.ctx, log, now: clock };
  const runs: JobReport[][] = [];
  let scheduler: SchedulerHandle | undefined;
  return {
    ctx,
    runs,
    lines,
    start(notify: Notify, retryMs = 25) {
      scheduler = leadSchedule({
        ctx,
        input: {
          lock: createLeaderLock(database.url, { applicationName: `polaris-scheduler-${name}` }),
          jobs: [
            { name: 'revert-expired-flags', run: () => revertExpiredFlags({ ctx }) },
            { name: 'escalations', run: () => runEscalations({ ctx, input: { notify } }) },
          ],
          holder: name,
          intervalMs: 25,
          retryMs,
          onRun: (jobs) => runs.push(jobs),
        },
      });
      return scheduler;
    },
    role: () => scheduler?.role(),
    close: async () => {
      await scheduler?.stop();
      await t.close();
      await handle.db.destroy();
    },
  };
}

/** Terminates the backend holding the scheduler's lock, as a dead process or a cut link would; returns its name. */
async function killLeaderConnection(database: TestDatabase): Promise<string | undefined> {
  const killed = await sql<{ application_name: string }>`
    SELECT a.application_name, pg_terminate_backend(a.pid) AS killed
    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.objid = ${SCHEDULER_LOCK_KEY} AND l.granted`.execute(database.db);
  return killed.rows[0]?.application_name;
}

describe('the scheduler on PostgreSQL: one leader, failover without a double page', () => {
  let database: TestDatabase;
  let now = T0;
  const clock = () => now;
  let a: Awaited<ReturnType<typeof instance>>;
  let b: Awaited<ReturnType<typeof instance>>;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    await migrateTestDatabase(database.db);
    a = await instance(database, 'a', clock);
    b = await instance(database, 'b', clock);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.close();
  });

  it('runs the jobs on the leader only; when the leader dies the other takes over and pages the next level once', async () => {
    const outbox = recordingNotify();
    const incident = await openIncident({
      ctx: a.ctx,
      input: { severity: 'critical', type: 'payment', title: 'Checkout down', actor: 'cli:ops' },
    });
    await setFlag({
      ctx: a.ctx,
      input: { name: 'payments', state: 'off', reason: 'bank outage', for: '30m', actor: 'cli:ops' },
    });
    // A dies for good once killed: it would not retry within this test.
    a.start(outbox.notify, 600_000);
    await waitFor(() => a.runs.length >= 3, 10_000, 'a leading and running');
    b.start(outbox.notify);
    await waitFor(() => b.role() === 'follower', 10_000, 'b following');
    const runsBefore = a.runs.length;
    await waitFor(() => a.runs.length >= runsBefore + 3, 10_000, 'a running while b follows');
    expect(b.runs).toEqual([]);
    expect(outbox.keys()).toEqual([`escalation:${incident.id}:1`, `escalation:${incident.id}:4`]);

    expect(await killLeaderConnection(database)).toBe('polaris-scheduler-a');
    await waitFor(() => b.role() === 'leader', 10_000, 'b taking over');
    await waitFor(() => a.role() !== 'leader', 10_000, 'a stepping down');
    expect(a.lines.join('')).toContain('scheduler stepped down: lock lost');

    now = new Date(T0.getTime() + 60 * 60_000);
    await waitFor(() => outbox.keys().length === 3, 10_000, 'the team lead paged');
    await waitFor(async () => (await flagExpiries(database)) === 1, 10_000, 'the payments flag expired');
    const runsAfter = b.runs.length;
    await waitFor(() => b.runs.length >= runsAfter + 3, 10_000, 'b running on');

    expect(outbox.calls.map((c) => c.key)).toEqual([
      `escalation:${incident.id}:1`,
      `escalation:${incident.id}:4`,
      `escalation:${incident.id}:2`,
      `cadence:${incident.id}:1`,
    ]);
    const rows = await schedulerRows(database.db);
    expect(rows.pages.map((p) => p.notification_key).sort()).toEqual(outbox.calls.map((c) => c.key).sort());
    expect(rows.audit.map((r) => (r.details as { key: string }).key)).toEqual(outbox.calls.map((c) => c.key));
    expect(await flagExpiries(database)).toBe(1);
    const leader = await database.db.selectFrom('scheduler_leader').selectAll().executeTakeFirstOrThrow();
    expect(leader.holder).toBe('b');
  });
});

const flagExpiries = async (database: TestDatabase) =>
  (await database.db.selectFrom('audit_log').select('id').where('action', '=', 'flag.expire').execute())
    .length;

describe('the scheduler when its PostgreSQL goes away', () => {
  let server: PostgresServer;
  let database: TestDatabase;
  let one: Awaited<ReturnType<typeof instance>>;
  beforeAll(async () => {
    server = await startPostgres();
    const handle = createKysely(server.url, { max: 2 });
    database = { ...handle, backend: 'postgres', url: server.url, close: () => handle.db.destroy() };
    await migrateTestDatabase(database.db);
    one = await instance(database, 'solo', () => T0);
  });
  afterAll(async () => {
    await one?.close();
    await database?.close();
    server?.stop();
  });

  it('steps down without crashing while the database is stopped, and leads again when it is back', async () => {
    const outbox = recordingNotify();
    one.start(outbox.notify);
    await waitFor(() => one.role() === 'leader' && one.runs.length >= 2, 20_000, 'leading');
    await server.halt('fast');
    await waitFor(() => one.role() === 'unreachable', 20_000, 'stepping down');
    expect(one.lines.join('')).toContain('scheduler stepped down: lock lost');
    expect(one.lines.join('')).toContain('scheduler cannot reach the database; retrying');
    await server.resume();
    await waitFor(() => one.role() === 'leader', 30_000, 'leading again');
    const incident = await openIncident({
      ctx: one.ctx,
      input: {
        severity: 'high',
        type: 'infrastructure.database',
        title: 'Primary restarted',
        actor: 'cli:ops',
      },
    });
    await waitFor(
      () => outbox.keys().includes(`escalation:${incident.id}:1`),
      20_000,
      'the page after the outage',
    );
    expect(one.lines.join('')).toContain('scheduler reached the database again');
  });
});

describe('the scheduler on PGlite: one shared session, so the folder lock decides who leads', () => {
  let database: TestDatabase;
  let a: Awaited<ReturnType<typeof instance>>;
  let b: Awaited<ReturnType<typeof instance>>;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await migrateTestDatabase(database.db);
    a = await instance(database, 'a', () => T0);
    b = await instance(database, 'b', () => T0);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.close();
  });

  it('grants the advisory lock to every client, and two leaders still page once', async () => {
    const outbox = recordingNotify();
    const incident = await openIncident({
      ctx: a.ctx,
      input: { severity: 'critical', type: 'payment', title: 'Checkout down', actor: 'cli:ops' },
    });
    a.start(outbox.notify);
    b.start(outbox.notify);
    await waitFor(() => a.runs.length >= 3 && b.runs.length >= 3, 20_000, 'both running');
    expect([a.role(), b.role()]).toEqual(['leader', 'leader']);
    expect(outbox.keys()).toEqual([`escalation:${incident.id}:1`, `escalation:${incident.id}:4`]);
    const rows = await schedulerRows(database.db);
    expect(rows.pages).toHaveLength(2);
    expect(rows.audit).toHaveLength(2);
  });
});
