import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import { describeEachBackend } from '../../test/support/databases.ts';
import { recordingNotify, schedulerRows } from '../../test/support/scheduler.ts';
import { openIncident } from '../services/incidents/open-incident.ts';
import { runCronTick } from '../services/schedule/run-cron-tick.ts';
import { scheduledJobs } from './http.ts';

describeEachBackend('the Vercel tick runs the scheduler jobs', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists escalations once an outbox is given, and ticks racing each other page once', async () => {
    const outbox = recordingNotify();
    expect(scheduledJobs(t.ctx, {}).map((j) => j.name)).toEqual(['revert-expired-flags']);
    const jobs = scheduledJobs(t.ctx, { notify: outbox.notify });
    expect(jobs.map((j) => j.name)).toEqual(['revert-expired-flags', 'escalations']);
    const incident = await openIncident({
      ctx: t.ctx,
      input: { severity: 'high', type: 'payment', title: 'Refunds stuck', actor: 'cli:ops' },
    });
    const ticks = await Promise.all([
      runCronTick({ ctx: t.ctx, input: { budgetMs: 1, jobs } }),
      runCronTick({ ctx: t.ctx, input: { budgetMs: 1, jobs } }),
    ]);
    expect(ticks.map((tick) => tick.jobs.map((j) => j.ok))).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(outbox.keys()).toEqual([`escalation:${incident.id}:1`]);
    expect((await schedulerRows(get().db)).pages).toHaveLength(1);
  });
});
