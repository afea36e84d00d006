import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { flagAuditRows, resetFlags, storedFlags } from '../../../test/support/flags.ts';
import { emergencyShutdown, NO_INCIDENT_NOTE } from './emergency-shutdown.ts';
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
  });

  it('turns on all three modes in one transaction with one audit entry, and says no incident was opened', async () => {
    await setFlag({
      ctx: t.ctx,
      input: { name: 'payments', state: 'off', reason: 'earlier', for: '1h', actor: 'cli:a' },
    });
    const done = await emergencyShutdown({
      ctx: t.ctx,
      input: { reason: 'suspected breach', actor: 'cli:ops' },
    });
    expect(done).toMatchObject({
      incidentOpened: false,
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
        incident: NO_INCIDENT_NOTE,
      },
    });
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
  });
});
