import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { flagAuditRows, resetFlags, storedFlags } from '../../../test/support/flags.ts';
import { resetIncidents } from '../../../test/support/incidents.ts';
import { showIncident } from '../incidents/show-incident.ts';
import { emergencyShutdown } from './emergency-shutdown.ts';
import { getFlags } from './get-flags.ts';
import { liftEmergency } from './lift-emergency.ts';
import { setFlag } from './set-flag.ts';

describeEachBackend('emergency shutdown and lift', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetFlags(get().db);
    await resetIncidents(get().db);
  });

  it('turns on all three modes in one transaction with one audit entry and opens a critical incident', async () => {
    await setFlag({
      ctx: t.ctx,
      input: { name: 'payments', state: 'off', reason: 'earlier', for: '1h', actor: 'cli:a' },
    });
    const done = await emergencyShutdown({
      ctx: t.ctx,
      input: { reason: 'suspected breach', actor: 'cli:ops' },
    });
    expect(done).toMatchObject({
      incidentOpened: true,
      incident: {
        severity: 'critical',
        type: 'infrastructure',
        status: 'investigating',
        title: 'Emergency shutdown: suspected breach',
        components: ['checkout', 'api', 'web'],
        ruleKey: 'emergency-shutdown',
        openedBy: 'cli:ops',
      },
      changes: [
        { name: 'payments', from: 'off', to: 'off' },
        { name: 'maintenance', from: 'off', to: 'on' },
        { name: 'read_only', from: 'off', to: 'on' },
      ],
    });
    const view = await getFlags({ ctx: t.ctx });
    expect(view.flags.every((f) => f.active)).toBe(true);
    // The earlier --for no longer applies: a shutdown holds until it is lifted.
    expect(Object.values(await storedFlags(get().db)).map((f) => [f.expires_at, f.message, f.actor])).toEqual(
      [
        [null, 'emergency shutdown in progress', 'cli:ops'],
        [null, 'emergency shutdown in progress', 'cli:ops'],
        [null, 'emergency shutdown in progress', 'cli:ops'],
      ],
    );
    const audit = await flagAuditRows(get().db);
    expect(audit.map((r) => r.action)).toEqual(['flag.set', 'emergency.shutdown']);
    expect(audit[1]).toEqual({
      actor: 'cli:ops',
      action: 'emergency.shutdown',
      target: 'system_flags',
      reason: 'suspected breach',
      details: {
        changes: done.changes,
        message: 'emergency shutdown in progress',
        incident: `INC-${done.incident.id}`,
        incidentOpened: true,
      },
    });
    const record = await showIncident({ ctx: t.ctx, input: { id: done.incident.id } });
    expect(record.timeline.map((e) => [e.kind, e.message, e.actor])).toEqual([
      ['opened', 'critical infrastructure: Emergency shutdown: suspected breach', 'cli:ops'],
      [
        'emergency',
        'emergency shutdown: payments off (already), maintenance on (was off), read-only on (was off); reason: suspected breach',
        'cli:ops',
      ],
    ]);
  });

  it('a second shutdown while the first incident is open adds to its timeline instead of opening another; lift adds an entry and leaves it open', async () => {
    const first = await emergencyShutdown({ ctx: t.ctx, input: { reason: 'first', actor: 'cli:ops' } });
    const second = await emergencyShutdown({ ctx: t.ctx, input: { reason: 'second', actor: 'cli:b' } });
    expect([second.incidentOpened, second.incident.id]).toEqual([false, first.incident.id]);
    const lifted = await liftEmergency({ ctx: t.ctx, input: { reason: 'all clear', actor: 'cli:ops' } });
    expect(lifted.incidents).toEqual([first.incident.id]);
    const record = await showIncident({ ctx: t.ctx, input: { id: first.incident.id } });
    expect(record.incident.status).toBe('investigating');
    expect(record.timeline.map((e) => [e.kind, e.message])).toEqual([
      ['opened', 'critical infrastructure: Emergency shutdown: first'],
      ['emergency', expect.stringMatching(/^emergency shutdown: payments off \(was on\).*; reason: first$/)],
      [
        'emergency',
        expect.stringMatching(/^emergency shutdown: payments off \(already\).*; reason: second$/),
      ],
      [
        'flag',
        'emergency lifted: payments on (was off), maintenance off (was on), read-only off (was on); reason: all clear',
      ],
    ]);
    expect((await get().db.selectFrom('incidents').select('id').execute()).map((r) => String(r.id))).toEqual([
      first.incident.id,
    ]);
  });

  it('lift reverses each active mode and records one row per mode; with nothing active it records nothing', async () => {
    await emergencyShutdown({ ctx: t.ctx, input: { reason: 'drill', message: 'Drill', actor: 'cli:ops' } });
    const lifted = await liftEmergency({
      ctx: t.ctx,
      input: { reason: 'all clear', actor: 'admin@example.com' },
    });
    expect(lifted.changes).toEqual([
      { name: 'payments', from: 'off', to: 'on' },
      { name: 'maintenance', from: 'on', to: 'off' },
      { name: 'read_only', from: 'on', to: 'off' },
    ]);
    expect((await getFlags({ ctx: t.ctx })).flags.some((f) => f.active)).toBe(false);
    const rows = (await flagAuditRows(get().db)).slice(1);
    expect(
      rows.map((r) => [r.actor, r.action, r.target, r.reason, (r.details as { via: string }).via]),
    ).toEqual([
      ['admin@example.com', 'flag.set', 'payments', 'all clear', 'emergency.lift'],
      ['admin@example.com', 'flag.set', 'maintenance', 'all clear', 'emergency.lift'],
      ['admin@example.com', 'flag.set', 'read_only', 'all clear', 'emergency.lift'],
    ]);
    expect(
      (await liftEmergency({ ctx: t.ctx, input: { reason: 'again', actor: 'cli:ops' } })).changes,
    ).toEqual([]);
    expect(await flagAuditRows(get().db)).toHaveLength(4);
  });

  it('refuses a shutdown or a lift without a reason, changing and recording nothing', async () => {
    const before = await storedFlags(get().db);
    for (const run of [
      () => emergencyShutdown({ ctx: t.ctx, input: { reason: ' ', actor: 'cli:ops' } }),
      () => liftEmergency({ ctx: t.ctx, input: { reason: undefined, actor: 'cli:ops' } }),
    ]) {
      await expect(run()).rejects.toMatchObject({ code: 'bad_request', message: /^reason: required/ });
    }
    expect(await storedFlags(get().db)).toEqual(before);
    expect(await flagAuditRows(get().db)).toEqual([]);
    expect(await get().db.selectFrom('incidents').select('id').execute()).toEqual([]);
  });
});
