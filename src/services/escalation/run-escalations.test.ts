import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext, createUnreachableContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetIncidents } from '../../../test/support/incidents.ts';
import { recordingNotify, schedulerRows } from '../../../test/support/scheduler.ts';
import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { openIncident } from '../incidents/open-incident.ts';
import { resolveIncident } from '../incidents/resolve-incident.ts';
import { showIncident } from '../incidents/show-incident.ts';
import { updateIncident } from '../incidents/update-incident.ts';
import { runEscalations } from './run-escalations.ts';

const T0 = new Date('2026-11-30T03:00:00Z');

describeEachBackend('runEscalations: the ladder and the cadence, once each', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let now = T0;
  let ctx: ServiceContext;
  const at = (minutes: number) => {
    now = new Date(T0.getTime() + minutes * 60_000);
  };
  beforeAll(async () => {
    t = await createTestContext(get());
    ctx = { ...t.ctx, now: () => now };
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetIncidents(get().db);
    await get().db.deleteFrom('audit_log').where('actor', '=', 'system:scheduler').execute();
    at(0);
  });
  const open = (severity: string) =>
    openIncident({
      ctx,
      input: { severity, type: 'payment.processing', title: 'Card payments failing', actor: 'cli:ops' },
    });

  it('pages level 1 and the CTO at open for a critical incident, the team lead after 1 h, each once', async () => {
    const incident = await open('critical');
    const out = recordingNotify();
    const first = await runEscalations({ ctx, input: { notify: out.notify } });
    expect(first.escalations).toEqual([
      { incident: `INC-${incident.id}`, level: 1, role: 'on-call engineer' },
      { incident: `INC-${incident.id}`, level: 4, role: 'CTO / VP Engineering' },
    ]);
    expect(out.queued[0]).toMatchObject({
      key: `escalation:${incident.id}:1`,
      template: 'incident-page',
      audience: { kind: 'roster', level: 1 },
      incidentId: incident.id,
      vars: {
        incident: `INC-${incident.id}`,
        severity: 'critical',
        level: 1,
        title: 'Card payments failing',
      },
    });
    at(5);
    expect((await runEscalations({ ctx, input: { notify: out.notify } })).escalations).toEqual([]);
    at(60);
    const later = await runEscalations({ ctx, input: { notify: out.notify } });
    expect(later.escalations).toEqual([{ incident: `INC-${incident.id}`, level: 2, role: 'team lead' }]);
    expect(out.calls.map((c) => c.key).filter((k) => k.startsWith('escalation'))).toEqual([
      `escalation:${incident.id}:1`,
      `escalation:${incident.id}:4`,
      `escalation:${incident.id}:2`,
    ]);
    const shown = await showIncident({ ctx, input: { id: incident.id } });
    const escalations = shown.timeline.filter((e) => e.kind === 'escalation');
    expect(escalations.map((e) => [e.message, e.actor])).toEqual([
      ['Paged level 1 (on-call engineer) when the incident opened', 'system:scheduler'],
      ['Paged level 4 (CTO / VP Engineering) at once for a critical incident', 'system:scheduler'],
      ['Paged level 2 (team lead) unresolved 1h after detection', 'system:scheduler'],
    ]);
    const rows = await schedulerRows(get().db);
    expect(rows.audit.filter((r) => r.action === 'incident.escalate').map((r) => r.details)).toEqual([
      expect.objectContaining({ level: 1, key: `escalation:${incident.id}:1` }),
      expect.objectContaining({ level: 4, key: `escalation:${incident.id}:4` }),
      expect.objectContaining({ level: 2, key: `escalation:${incident.id}:2` }),
    ]);
  });

  it('does not page the CTO for a high incident, and stops paging once it is resolved', async () => {
    const incident = await open('high');
    const out = recordingNotify();
    expect(
      (await runEscalations({ ctx, input: { notify: out.notify } })).escalations.map((e) => e.level),
    ).toEqual([1]);
    await resolveIncident({ ctx, input: { id: incident.id, message: 'Fixed', actor: 'cli:ops' } });
    at(600);
    const report = await runEscalations({ ctx, input: { notify: out.notify } });
    expect(report).toEqual({ open: 0, escalations: [], reminders: [] });
    expect(out.calls.map((c) => c.key)).toEqual([`escalation:${incident.id}:1`]);
  });

  it('reminds level 1 when no public update came within the cadence, counting from the last one', async () => {
    const incident = await open('critical');
    const out = recordingNotify();
    await runEscalations({ ctx, input: { notify: out.notify } });
    at(14);
    expect((await runEscalations({ ctx, input: { notify: out.notify } })).reminders).toEqual([]);
    at(15);
    expect((await runEscalations({ ctx, input: { notify: out.notify } })).reminders).toEqual([
      { incident: `INC-${incident.id}`, step: 1 },
    ]);
    expect(out.queued.at(-1)).toMatchObject({
      key: `cadence:${incident.id}:1`,
      template: 'status-update-due',
      audience: { kind: 'roster', level: 1 },
      vars: { cadence: '15m', lastUpdateAt: null, reminder: 1 },
    });
    at(20);
    await updateIncident({
      ctx,
      input: {
        id: incident.id,
        status: 'identified',
        message: 'Bank timeouts',
        public: true,
        actor: 'cli:ops',
      },
    });
    at(34);
    expect((await runEscalations({ ctx, input: { notify: out.notify } })).reminders).toEqual([]);
    at(35);
    expect((await runEscalations({ ctx, input: { notify: out.notify } })).reminders).toEqual([
      { incident: `INC-${incident.id}`, step: 2 },
    ]);
    const shown = await showIncident({ ctx, input: { id: incident.id } });
    expect(shown.timeline.filter((e) => e.kind === 'notification').map((e) => e.message)).toEqual([
      'Status update due: no public update for 15m (critical cadence); reminded level 1 (on-call engineer)',
      'Status update due: no public update for 15m (critical cadence); reminded level 1 (on-call engineer)',
    ]);
    const rows = await schedulerRows(get().db);
    expect(rows.audit.filter((r) => r.action === 'incident.remind')).toHaveLength(2);
  });

  it('pages once when two schedulers run at the same moment', async () => {
    const incident = await open('critical');
    const out = recordingNotify();
    const reports = await Promise.all([
      runEscalations({ ctx, input: { notify: out.notify } }),
      runEscalations({ ctx, input: { notify: out.notify } }),
      runEscalations({ ctx, input: { notify: out.notify } }),
    ]);
    expect(reports.flatMap((r) => r.escalations.map((e) => e.level)).sort()).toEqual([1, 4]);
    expect(out.keys()).toEqual([`escalation:${incident.id}:1`, `escalation:${incident.id}:4`]);
    const rows = await schedulerRows(get().db);
    expect(rows.pages.map((p) => p.notification_key)).toEqual([
      `escalation:${incident.id}:1`,
      `escalation:${incident.id}:4`,
    ]);
    expect(rows.audit).toHaveLength(2);
    const shown = await showIncident({ ctx, input: { id: incident.id } });
    expect(shown.timeline.filter((e) => e.kind === 'escalation')).toHaveLength(2);
  });

  it('records nothing when the notification cannot be queued, and sends it on the next run', async () => {
    const incident = await open('high');
    const failing = async () => {
      throw new AppError('database_unavailable', 'outbox unreachable');
    };
    await expect(runEscalations({ ctx, input: { notify: failing } })).rejects.toThrow('outbox unreachable');
    const rows = await schedulerRows(get().db);
    expect(rows).toEqual({ pages: [], audit: [] });
    const shown = await showIncident({ ctx, input: { id: incident.id } });
    expect(shown.timeline.map((e) => e.kind)).toEqual(['opened']);
    const out = recordingNotify();
    expect((await runEscalations({ ctx, input: { notify: out.notify } })).escalations).toHaveLength(1);
  });
});

it('fails with database_unavailable, queuing nothing, when the database is unreachable', async () => {
  const u = await createUnreachableContext();
  try {
    const out = recordingNotify();
    await expect(runEscalations({ ctx: u.ctx, input: { notify: out.notify } })).rejects.toMatchObject({
      code: 'database_unavailable',
    });
    expect(out.calls).toEqual([]);
  } finally {
    await u.close();
  }
});
