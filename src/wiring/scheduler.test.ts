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

  it("runs every part's job in order, and two ticks racing each other page once through the real outbox", async () => {
    const jobs = scheduledJobs(t.ctx, {});
    expect(jobs.map((j) => j.name)).toEqual([
      'revert-expired-flags',
      'maintenance-windows',
      'evaluate-alerts',
      'escalations',
      'record-component-states',
      'notifications',
    ]);
    const incident = await openIncident({
      ctx: t.ctx,
      input: {
        severity: 'high',
        type: 'payment',
        title: 'Refunds stuck',
        components: ['checkout'],
        actor: 'cli:ops',
      },
    });
    const ticks = await Promise.all([
      runCronTick({ ctx: t.ctx, input: { budgetMs: 1, jobs } }),
      runCronTick({ ctx: t.ctx, input: { budgetMs: 1, jobs } }),
    ]);
    expect(ticks.map((tick) => tick.jobs.filter((j) => !j.ok))).toEqual([[], []]);
    const pages = await get()
      .db.selectFrom('notification_requests')
      .select(['key', 'template'])
      .where('incident_id', '=', incident.id)
      .where('template', '=', 'incident-page')
      .execute();
    expect(pages).toEqual([{ key: `escalation:${incident.id}:1`, template: 'incident-page' }]);
    expect((await schedulerRows(get().db)).pages).toHaveLength(1);
    // Rendered from the incident's own figures: nothing the page names is left unknown.
    const delivered = await get()
      .db.selectFrom('notifications')
      .select(['channel', 'body', 'status'])
      .where('request_key', '=', `escalation:${incident.id}:1`)
      .execute();
    expect(delivered.length).toBeGreaterThan(0);
    for (const d of delivered) {
      expect(d.body).toContain('Components: checkout');
      expect(d.body).toContain(
        `Started: ${incident.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      );
      expect(d.body).not.toMatch(/unknown/);
    }
  });

  it('a recording notify stands in for the outbox when given', async () => {
    const outbox = recordingNotify();
    const incident = await openIncident({
      ctx: t.ctx,
      input: { severity: 'low', type: 'payment', title: 'Receipt wording', actor: 'cli:ops' },
    });
    const jobs = scheduledJobs(t.ctx, { notify: outbox.notify });
    await runCronTick({ ctx: t.ctx, input: { budgetMs: 1, jobs } });
    expect(outbox.keys()).toContain(`escalation:${incident.id}:1`);
  });
});
