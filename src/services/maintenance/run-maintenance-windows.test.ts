import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { storedFlags } from '../../../test/support/flags.ts';
import {
  maintenanceAuditRows,
  recordingNotify,
  useMaintenanceContext,
} from '../../../test/support/maintenance.ts';
import { renderTemplate } from '../../domain/notification-templates.ts';
import { emergencyShutdown } from '../flags/emergency-shutdown.ts';
import { revertExpiredFlags } from '../flags/revert-expired-flags.ts';
import { setFlag } from '../flags/set-flag.ts';
import { cancelMaintenance } from './cancel-maintenance.ts';
import { runMaintenanceWindows } from './run-maintenance-windows.ts';
import { scheduleMaintenance } from './schedule-maintenance.ts';

const H = 3_600_000;
const T0 = new Date('2026-12-01T00:00:00Z').getTime();

describeEachBackend('maintenance windows: the scheduled job', { migrated: true }, (get) => {
  const state = useMaintenanceContext(get, T0);
  const iso = (hours: number) => new Date(T0 + hours * H).toISOString();
  const schedule = (from: number, to: number, extra: { notify?: boolean; message?: string } = {}) =>
    scheduleMaintenance({
      ctx: state.ctx,
      input: {
        start: iso(from),
        end: iso(to),
        message: 'Database upgrade',
        notify: true,
        actor: 'cli:ops',
        ...extra,
      },
    });
  const runAt = async (hours: number, notify = recordingNotify().notify) => {
    state.clock = T0 + hours * H;
    return runMaintenanceWindows({ ctx: state.ctx, input: { notify } });
  };
  const maintenance = async () => (await storedFlags(get().db)).maintenance;
  const status = async (id: string) =>
    (
      await get()
        .db.selectFrom('maintenance_windows')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).status;
  const byHand = (mode: 'on' | 'off', reason: string, extra: { for?: string } = {}) =>
    setFlag({
      ctx: state.ctx,
      input: {
        name: 'maintenance',
        state: mode,
        reason,
        actor: 'cli:asha',
        message: 'Hotfix deploy',
        ...extra,
      },
    });

  it('queues the notice and the 24 h reminder once each, turns maintenance on at the start and off at the end, each step once with its audit row', async () => {
    const w = await schedule(72, 74);
    const label = `MW-${w.id}`;
    const { notify, requests } = recordingNotify();
    expect((await runAt(1, notify)).actions).toEqual([{ window: label, step: 'notice', queued: 3 }]);
    expect((await runAt(2, notify)).actions).toEqual([]);
    expect((await runAt(47.9, notify)).actions).toEqual([]);
    expect((await runAt(48, notify)).actions).toEqual([{ window: label, step: 'reminder', queued: 3 }]);
    expect((await runAt(71, notify)).actions).toEqual([]);
    expect(await maintenance()).toMatchObject({ state: 'off' });
    expect((await runAt(72, notify)).actions).toEqual([
      { window: label, step: 'start', flag: 'maintenance mode turned on' },
    ]);
    expect(await maintenance()).toMatchObject({
      state: 'on',
      message: 'Database upgrade',
      actor: 'system:maintenance',
      reason: `${label}: scheduled maintenance until ${iso(74)}`,
      expires_at: new Date(iso(74)),
    });
    expect(await status(w.id)).toBe('in_progress');
    expect((await runAt(73, notify)).actions).toEqual([]);
    expect((await runAt(74, notify)).actions).toEqual([
      { window: label, step: 'end', flag: 'maintenance mode turned off' },
    ]);
    expect(await maintenance()).toMatchObject({
      state: 'off',
      actor: 'system:maintenance',
      expires_at: null,
    });
    expect(await status(w.id)).toBe('completed');
    expect((await runAt(75, notify)).actions).toEqual([]);

    expect(requests).toEqual([
      {
        key: `maintenance-notice:${w.id}`,
        template: 'maintenance-notice',
        audience: { kind: 'status-subscribers' },
        vars: {
          window: label,
          startsAt: iso(72),
          endsAt: iso(74),
          message: 'Database upgrade',
          components: 'all',
        },
      },
      expect.objectContaining({ key: `maintenance-reminder:${w.id}`, template: 'maintenance-reminder' }),
    ]);
    // The outbox renders these figures into the runbook's Maintenance Notification.
    const notice = renderTemplate('maintenance-notice', requests[0]!.vars, {
      statusUrl: 'https://status.example/status',
      supportAddress: 'support@example.com',
    });
    expect(notice.text).toContain('Date: 2026-12-04\nTime: 00:00 - 02:00 (UTC)\nDuration: 2 h');
    const audit = await maintenanceAuditRows(get().db);
    expect(audit.map((r) => [r.actor, r.action, r.target])).toEqual([
      ['cli:ops', 'maintenance.schedule', label],
      ['system:maintenance', 'maintenance.notice', label],
      ['system:maintenance', 'maintenance.reminder', label],
      ['system:maintenance', 'flag.set', 'maintenance'],
      ['system:maintenance', 'maintenance.start', label],
      ['system:maintenance', 'flag.set', 'maintenance'],
      ['system:maintenance', 'maintenance.end', label],
    ]);
  });

  it('runs started at the same moment take each step once: one flag change, one audit row', async () => {
    const w = await schedule(1, 2, { notify: false });
    const runs = await Promise.all([
      runAt(1),
      runMaintenanceWindows({ ctx: state.ctx, input: recordingNotify() }),
    ]);
    expect(runs.flatMap((r) => r.actions)).toEqual([
      { window: `MW-${w.id}`, step: 'start', flag: 'maintenance mode turned on' },
    ]);
    const ends = await Promise.all([
      runAt(2),
      runMaintenanceWindows({ ctx: state.ctx, input: recordingNotify() }),
    ]);
    expect(ends.flatMap((r) => r.actions).map((a) => a.step)).toEqual(['end']);
    const actions = (await maintenanceAuditRows(get().db)).map((r) => r.action);
    expect(actions).toEqual([
      'maintenance.schedule',
      'flag.set',
      'maintenance.start',
      'flag.set',
      'maintenance.end',
    ]);
  });

  it('never turns off a maintenance mode an operator set by hand before the window: left on at the end, and said so', async () => {
    const w = await schedule(1, 2, { notify: false });
    await byHand('on', 'hotfix for the invoice bug');
    const handSet = await maintenance();
    expect((await runAt(1)).actions).toEqual([
      {
        window: `MW-${w.id}`,
        step: 'start',
        flag: 'maintenance mode was already on (set by cli:asha: hotfix for the invoice bug); left as it is',
      },
    ]);
    expect((await runAt(2)).actions).toEqual([
      {
        window: `MW-${w.id}`,
        step: 'end',
        flag: 'maintenance mode left on: set by cli:asha (hotfix for the invoice bug)',
      },
    ]);
    expect(await maintenance()).toEqual(handSet);
    expect(await status(w.id)).toBe('completed');
  });

  it('an operator who takes the mode over during the window keeps it: the end leaves it on; one who turned it off is not overruled', async () => {
    const w = await schedule(1, 2, { notify: false });
    await runAt(1);
    await byHand('on', 'migration overran', { for: '3h' });
    await runAt(2);
    expect(await maintenance()).toMatchObject({
      state: 'on',
      actor: 'cli:asha',
      reason: 'migration overran',
    });

    await byHand('off', 'done');
    const second = await schedule(3, 4, { notify: false });
    await runAt(3);
    await byHand('off', 'not needed after all');
    expect((await runAt(4)).actions).toEqual([
      { window: `MW-${second.id}`, step: 'end', flag: 'maintenance mode was already off' },
    ]);
    expect(await maintenance()).toMatchObject({ state: 'off', reason: 'not needed after all' });
    expect(w.id).not.toBe(second.id);
  });

  it('an emergency shutdown during a window holds maintenance on past the window end', async () => {
    const w = await schedule(1, 2, { notify: false });
    await runAt(1);
    await emergencyShutdown({
      ctx: state.ctx,
      input: { reason: 'card data leak suspected', actor: 'cli:asha' },
    });
    expect((await runAt(2)).actions).toEqual([
      {
        window: `MW-${w.id}`,
        step: 'end',
        flag: 'maintenance mode left on: set by cli:asha (card data leak suspected)',
      },
    ]);
    const flags = await storedFlags(get().db);
    expect([flags.maintenance?.state, flags.read_only?.state, flags.payments?.state]).toEqual([
      'on',
      'on',
      'off',
    ]);
  });

  it('the expiry and the job both at the end: exactly one of them turns the mode off', async () => {
    await schedule(1, 2, { notify: false });
    await runAt(1);
    state.clock = T0 + 2 * H;
    expect(await revertExpiredFlags({ ctx: state.ctx })).toEqual(['maintenance']);
    expect((await runAt(2)).actions.map((a) => a.flag)).toEqual(['maintenance mode was already off']);
    expect(await revertExpiredFlags({ ctx: state.ctx })).toEqual([]);
    const flagRows = (await maintenanceAuditRows(get().db)).filter((r) => r.action.startsWith('flag.'));
    expect(flagRows.map((r) => [r.actor, r.action])).toEqual([
      ['system:maintenance', 'flag.set'],
      ['system:expiry', 'flag.expire'],
    ]);
  });

  it('cancelling an in-progress window turns maintenance off as the operator; unless someone else holds the mode', async () => {
    const w = await schedule(1, 2, { notify: false });
    await runAt(1.5);
    const cancelled = await cancelMaintenance({
      ctx: state.ctx,
      input: { id: `MW-${w.id}`, reason: 'upgrade postponed', actor: 'cli:asha', confirmed: true },
    });
    expect(cancelled).toMatchObject({
      confirmed: true,
      window: { status: 'cancelled', cancelledBy: 'cli:asha' },
      flag: { action: 'turned-off' },
    });
    expect(await maintenance()).toMatchObject({
      state: 'off',
      actor: 'cli:asha',
      reason: `MW-${w.id}: window cancelled: upgrade postponed`,
    });
    expect((await runAt(2)).actions).toEqual([]);

    const held = await schedule(3, 4, { notify: false });
    await runAt(3);
    await byHand('on', 'incident INC-7');
    const done = await cancelMaintenance({
      ctx: state.ctx,
      input: { id: held.id, actor: 'cli:ops', confirmed: true },
    });
    expect(done).toMatchObject({ flag: { action: 'left-on', setBy: 'cli:asha' } });
    expect(await maintenance()).toMatchObject({ state: 'on', reason: 'incident INC-7' });
    const rows = (await maintenanceAuditRows(get().db)).filter((r) => r.action === 'maintenance.cancel');
    expect(rows.map((r) => [r.actor, r.reason, (r.details as { flag: string }).flag])).toEqual([
      ['cli:asha', 'upgrade postponed', 'maintenance mode turned off'],
      ['cli:ops', null, 'maintenance mode left on: set by cli:asha (incident INC-7)'],
    ]);
  });

  it('a window whose end passed before any run is completed without touching the mode, and gets no notice', async () => {
    const w = await schedule(1, 2);
    const { notify, requests } = recordingNotify();
    expect((await runAt(3, notify)).actions).toEqual([
      { window: `MW-${w.id}`, step: 'missed', flag: 'not turned on' },
    ]);
    expect(requests).toEqual([]);
    expect(await maintenance()).toMatchObject({ state: 'off', reason: 'test reset' });
    expect(await status(w.id)).toBe('completed');
  });

  it('sends no reminder for a window scheduled less than 24 h ahead (the notice said it already)', async () => {
    await schedule(10, 11);
    const { notify, requests } = recordingNotify();
    for (const hours of [0, 1, 5, 9.5, 10, 11]) await runAt(hours, notify);
    expect(requests.map((r) => r.template)).toEqual(['maintenance-notice']);
  });

  it('an outbox that cannot be written holds no flag change back; the notice goes out on a later run', async () => {
    const w = await schedule(1, 2);
    const recorder = recordingNotify();
    recorder.state.fail = true;
    const report = await runAt(1, recorder.notify);
    expect(report.actions).toEqual([
      { window: `MW-${w.id}`, step: 'start', flag: 'maintenance mode turned on' },
    ]);
    expect(report.failures).toEqual([{ window: `MW-${w.id}`, step: 'notice', error: 'outbox unavailable' }]);
    recorder.state.fail = false;
    expect((await runAt(1.5, recorder.notify)).actions.map((a) => a.step)).toEqual(['notice']);
    expect(recorder.requests.map((r) => r.key)).toEqual([`maintenance-notice:${w.id}`]);
  });

  it('back-to-back windows hand the mode over in one run: the first ends, the second starts', async () => {
    const a = await schedule(1, 2, { notify: false, message: 'Part one' });
    const b = await schedule(2, 3, { notify: false, message: 'Part two' });
    await runAt(1);
    expect((await runAt(2)).actions.map((x) => [x.window, x.step])).toEqual([
      [`MW-${a.id}`, 'end'],
      [`MW-${b.id}`, 'start'],
    ]);
    expect(await maintenance()).toMatchObject({
      state: 'on',
      message: 'Part two',
      reason: expect.stringMatching(`^MW-${b.id}:`),
    });
    await runAt(3);
    expect(await maintenance()).toMatchObject({ state: 'off' });
  });
});
