import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { incidentAuditRows, resetIncidents } from '../../../test/support/incidents.ts';
import { ackIncident } from './ack-incident.ts';
import { addIncidentNote } from './add-note.ts';
import { listIncidents } from './list-incidents.ts';
import { openIncident } from './open-incident.ts';
import { resolveIncident } from './resolve-incident.ts';
import { showIncident } from './show-incident.ts';
import { updateIncident } from './update-incident.ts';

describeEachBackend('incidents: open, ack, update, note, resolve', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetIncidents(get().db);
  });
  const open = (extra: Record<string, string> = {}) =>
    openIncident({
      ctx: t.ctx,
      input: {
        severity: 'high',
        type: 'payment.processing',
        title: 'Card payments failing',
        components: 'checkout,webhooks',
        actor: 'cli:ops',
        ...extra,
      },
    });

  it('runs an incident from open to resolved, each step audited with a timeline entry', async () => {
    const opened = await open({ started: '2020-01-01T00:00:00Z' });
    expect(opened).toMatchObject({
      severity: 'high',
      type: 'payment.processing',
      status: 'investigating',
      components: ['checkout', 'webhooks'],
      commander: null,
      acknowledgedAt: null,
      startedAt: new Date('2020-01-01T00:00:00Z'),
      detectedAt: t.ctx.now(),
    });
    const acked = await ackIncident({ ctx: t.ctx, input: { id: opened.id, actor: 'cli:asha' } });
    expect(acked.incident).toMatchObject({ commander: 'cli:asha', acknowledgedBy: 'cli:asha' });
    await updateIncident({
      ctx: t.ctx,
      input: {
        id: `INC-${opened.id}`,
        status: 'identified',
        message: 'Bank timeouts',
        public: true,
        actor: 'cli:asha',
      },
    });
    await updateIncident({
      ctx: t.ctx,
      input: { id: opened.id, status: 'identified', message: 'Still on it', actor: 'cli:asha' },
    });
    await addIncidentNote({
      ctx: t.ctx,
      input: { id: opened.id, message: 'Root cause: expired cert', actor: 'cli:asha' },
    });
    const resolved = await resolveIncident({
      ctx: t.ctx,
      input: { id: opened.id, message: 'Payments succeed again', actor: 'cli:asha' },
    });
    expect(resolved.incident).toMatchObject({ status: 'resolved', resolvedAt: t.ctx.now() });
    // A note after resolution is allowed: the report is written from them.
    await addIncidentNote({
      ctx: t.ctx,
      input: { id: opened.id, message: 'Follow-up: alert on cert expiry', actor: 'cli:asha' },
    });

    const record = await showIncident({ ctx: t.ctx, input: { id: opened.id } });
    expect(record.timeline.map((e) => [e.kind, e.status, e.message, e.public, e.actor])).toEqual([
      ['opened', 'investigating', 'high payment.processing: Card payments failing', false, 'cli:ops'],
      ['acknowledged', null, 'acknowledged by cli:asha; cli:asha is commander', false, 'cli:asha'],
      ['status_update', 'identified', 'Bank timeouts', true, 'cli:asha'],
      ['status_update', 'identified', 'Still on it', false, 'cli:asha'],
      ['note', null, 'Root cause: expired cert', false, 'cli:asha'],
      ['resolved', 'resolved', 'Payments succeed again', false, 'cli:asha'],
      ['note', null, 'Follow-up: alert on cert expiry', false, 'cli:asha'],
    ]);
    expect((await incidentAuditRows(get().db)).map((r) => [r.action, r.target])).toEqual([
      ['incident.open', `INC-${opened.id}`],
      ['incident.ack', `INC-${opened.id}`],
      ['incident.update', `INC-${opened.id}`],
      ['incident.update', `INC-${opened.id}`],
      ['incident.note', `INC-${opened.id}`],
      ['incident.resolve', `INC-${opened.id}`],
      ['incident.note', `INC-${opened.id}`],
    ]);
    expect((await listIncidents({ ctx: t.ctx, input: { open: true } })).map((i) => i.id)).toEqual([]);
    expect((await listIncidents({ ctx: t.ctx })).map((i) => i.id)).toEqual([opened.id]);
  });

  it('refuses bad input and impossible steps with a clear error, writing nothing', async () => {
    const incident = await open();
    await resolveIncident({ ctx: t.ctx, input: { id: incident.id, message: 'done', actor: 'cli:ops' } });
    const before = await showIncident({ ctx: t.ctx, input: { id: incident.id } });
    const auditBefore = await incidentAuditRows(get().db);
    const id = incident.id;
    const cases: [() => Promise<unknown>, string, RegExp | string][] = [
      [
        () => open({ severity: 'urgent' }),
        'bad_request',
        "severity: 'urgent' is not one of critical, high, medium, low",
      ],
      [
        () => open({ type: 'payments' }),
        'bad_request',
        /^type: 'payments' is not one of payment, payment.processing/,
      ],
      [
        () => open({ components: 'checkout,cdn' }),
        'bad_request',
        "components: 'cdn' is not one of checkout, webhooks, api, web, database",
      ],
      [() => open({ title: '  ' }), 'bad_request', 'title: required'],
      [() => open({ started: 'yesterday' }), 'bad_request', /^started: cannot read 'yesterday'/],
      [
        () => open({ started: '2999-01-01T00:00:00Z' }),
        'bad_request',
        "started: '2999-01-01T00:00:00Z' is in the future",
      ],
      [
        () => showIncident({ ctx: t.ctx, input: { id: 'abc' } }),
        'bad_request',
        "id: 'abc' is not an incident id (a number such as 12)",
      ],
      [() => showIncident({ ctx: t.ctx, input: { id: '999999' } }), 'not_found', 'no incident INC-999999'],
      [
        () => updateIncident({ ctx: t.ctx, input: { id, status: 'fixed', message: 'x', actor: 'a' } }),
        'bad_request',
        "status: 'fixed' is not one of investigating, identified, monitoring, resolved",
      ],
      [
        () => updateIncident({ ctx: t.ctx, input: { id, status: 'monitoring', message: 'x', actor: 'a' } }),
        'conflict',
        `INC-${id} is resolved; a recurrence is a new incident (polaris incident open)`,
      ],
      [
        () => resolveIncident({ ctx: t.ctx, input: { id, message: 'again', actor: 'a' } }),
        'conflict',
        /^INC-\d+ was already resolved at /,
      ],
      [
        () => ackIncident({ ctx: t.ctx, input: { id, actor: 'a' } }),
        'conflict',
        `INC-${id} is already resolved`,
      ],
      [
        () => addIncidentNote({ ctx: t.ctx, input: { id, message: ' ', actor: 'a' } }),
        'bad_request',
        'message: required',
      ],
    ];
    for (const [run, code, message] of cases) {
      await expect(run()).rejects.toMatchObject({ code, message });
    }
    expect(await showIncident({ ctx: t.ctx, input: { id } })).toEqual(before);
    expect(await incidentAuditRows(get().db)).toEqual(auditBefore);
    expect(await listIncidents({ ctx: t.ctx })).toHaveLength(1);
  });

  it('an update cannot resolve: resolving goes through resolve, which records the resolution', async () => {
    const incident = await open();
    await expect(
      updateIncident({
        ctx: t.ctx,
        input: { id: incident.id, status: 'resolved', message: 'x', actor: 'a' },
      }),
    ).rejects.toMatchObject({ code: 'bad_request', message: /^status: use polaris incident resolve/ });
  });

  it('a second ack is a conflict naming the first, and two at once record exactly one', async () => {
    const incident = await open({ commander: 'Asha (on-call)' });
    const both = await Promise.allSettled([
      ackIncident({ ctx: t.ctx, input: { id: incident.id, actor: 'cli:one' } }),
      ackIncident({ ctx: t.ctx, input: { id: incident.id, actor: 'cli:two' } }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'conflict' });
    expect(rejected.reason.message).toMatch(/already acknowledged by cli:(one|two)|changed while this ran/);
    const record = await showIncident({ ctx: t.ctx, input: { id: incident.id } });
    // The named commander stays; the acknowledger does not replace them.
    expect(record.incident.commander).toBe('Asha (on-call)');
    expect(record.timeline.filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
    await expect(
      ackIncident({ ctx: t.ctx, input: { id: incident.id, actor: 'cli:three' } }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: `INC-${incident.id} was already acknowledged by ${record.incident.acknowledgedBy} at ${t.ctx.now().toISOString()}`,
    });
    expect((await incidentAuditRows(get().db)).filter((r) => r.action === 'incident.ack')).toHaveLength(1);
  });

  it('concurrent updates and a resolve: nothing is lost, each change applies to the revision it read or is refused', async () => {
    const incident = await open();
    const results = await Promise.allSettled([
      updateIncident({
        ctx: t.ctx,
        input: { id: incident.id, status: 'identified', message: 'u1', actor: 'a' },
      }),
      updateIncident({
        ctx: t.ctx,
        input: { id: incident.id, status: 'monitoring', message: 'u2', actor: 'b' },
      }),
      resolveIncident({ ctx: t.ctx, input: { id: incident.id, message: 'r', actor: 'c' } }),
    ]);
    const applied = results.filter((r) => r.status === 'fulfilled').length;
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
    }
    const record = await showIncident({ ctx: t.ctx, input: { id: incident.id } });
    expect(record.incident.revision).toBe(1 + applied);
    expect(record.timeline).toHaveLength(1 + applied);
    expect((await incidentAuditRows(get().db)).length).toBe(1 + applied);
  });
});
