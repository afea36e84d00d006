import { expect, it } from 'vitest';
import { runCliWith } from '../../../../test/support/cli-in-process.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { storedFlags } from '../../../../test/support/flags.ts';
import {
  maintenanceAuditRows,
  recordingNotify,
  useMaintenanceContext,
} from '../../../../test/support/maintenance.ts';
import { runMaintenanceWindows } from '../../../services/maintenance/run-maintenance-windows.ts';
import { cliActor } from '../actor.ts';

const NOW = new Date('2026-12-01T00:00:00Z');

describeEachBackend('polaris maintenance schedule | windows | cancel', { migrated: true }, (get) => {
  const state = useMaintenanceContext(get, NOW.getTime());
  const cli = (...args: string[]) => runCliWith(state.ctx, args);
  const me = cliActor();
  const schedule = (start: string, end: string, ...extra: string[]) =>
    cli('maintenance', 'schedule', '--start', start, '--end', end, '--message', 'Database upgrade', ...extra);

  it('schedules a window, lists it, refuses to cancel without --yes, then cancels it', async () => {
    const done = await schedule(
      '2026-12-04T07:30+05:30',
      '2026-12-04T04:00Z',
      '--components',
      'checkout,api',
      '--notify',
    );
    expect(done.code, done.stderr).toBe(0);
    const id = /^scheduled MW-(\d+): /.exec(done.stdout)?.[1] ?? '';
    expect(done.stdout).toBe(
      [
        `scheduled MW-${id}: 2026-12-04T02:00Z to 2026-12-04T04:00Z (2h)`,
        '  message:    Database upgrade',
        '  components: checkout, api',
        '  notify:     status subscribers: the notice on the next scheduler run, a reminder 24 h before the start',
        '  maintenance mode turns on at the start and off at the end (the scheduler of polaris start, or the cron tick)',
        `  cancel:     polaris maintenance cancel ${id} --yes`,
        '',
      ].join('\n'),
    );
    const listed = await cli('maintenance', 'windows');
    expect(listed.stdout).toMatch(
      new RegExp(
        `│ MW-${id} +│ scheduled +│ 2026-12-04T02:00Z +│ 2026-12-04T04:00Z +│ 2h +│ checkout, api +│ yes +│ Database upgrade +│`,
      ),
    );
    const unconfirmed = await cli('maintenance', 'cancel', `MW-${id}`);
    expect([unconfirmed.code, unconfirmed.stdout, unconfirmed.stderr]).toEqual([
      2,
      `would cancel MW-${id} (scheduled, 2026-12-04T02:00Z to 2026-12-04T04:00Z (2h))\n`,
      'polaris: cancelling a window stops it and its notices; run again with --yes to confirm\n',
    ]);
    expect(JSON.parse((await cli('maintenance', 'windows', '--json')).stdout).windows).toHaveLength(1);
    const cancelled = await cli('maintenance', 'cancel', id, '--yes', '--reason', 'vendor postponed');
    expect([cancelled.code, cancelled.stdout]).toEqual([
      0,
      `cancelled MW-${id} (2026-12-04T02:00Z to 2026-12-04T04:00Z (2h))\n  recorded in audit_log as ${me}\n`,
    ]);
    expect((await cli('maintenance', 'windows')).stdout).toBe('no maintenance windows scheduled\n');
    const all = JSON.parse((await cli('maintenance', 'windows', '--all', '--json')).stdout) as {
      windows: { status: string; cancelledBy: string }[];
    };
    expect(all.windows).toMatchObject([{ status: 'cancelled', cancelledBy: me }]);
    expect((await maintenanceAuditRows(get().db)).map((r) => [r.actor, r.action, r.reason])).toEqual([
      [me, 'maintenance.schedule', null],
      [me, 'maintenance.cancel', 'vendor postponed'],
    ]);
  });

  it('cancelling a window in progress turns maintenance mode off', async () => {
    const id = JSON.parse((await schedule('2026-12-01T01:00Z', '2026-12-01T02:00Z', '--json')).stdout).window
      .id;
    state.clock = new Date('2026-12-01T01:00Z').getTime();
    await runMaintenanceWindows({ ctx: state.ctx, input: recordingNotify() });
    expect((await storedFlags(get().db)).maintenance).toMatchObject({
      state: 'on',
      message: 'Database upgrade',
    });
    const cancelled = await cli('maintenance', 'cancel', id, '--yes');
    expect(cancelled.stdout).toBe(
      `cancelled MW-${id} (2026-12-01T01:00Z to 2026-12-01T02:00Z (1h))\n  maintenance mode turned off\n  recorded in audit_log as ${me}\n`,
    );
    expect((await storedFlags(get().db)).maintenance).toMatchObject({ state: 'off', actor: me });
  });

  it('refuses bad input with exit 2 and one clear line, writing nothing', async () => {
    const kept = await schedule('2026-12-02T00:00Z', '2026-12-02T02:00Z', '--json');
    const id = JSON.parse(kept.stdout).window.id as string;
    const done = await schedule('2026-12-03T00:00Z', '2026-12-03T01:00Z', '--json');
    const doneId = JSON.parse(done.stdout).window.id as string;
    expect((await cli('maintenance', 'cancel', doneId, '--yes')).code).toBe(0);
    const audit = await maintenanceAuditRows(get().db);
    const windows = (await cli('maintenance', 'windows', '--all', '--json')).stdout;
    const cases: [string[], string][] = [
      [
        [
          'maintenance',
          'schedule',
          '--start',
          '2026-12-05T04:00Z',
          '--end',
          '2026-12-05T02:00Z',
          '--message',
          'x',
        ],
        'polaris: end: 2026-12-05T02:00:00.000Z is not after start 2026-12-05T04:00:00.000Z\n',
      ],
      [
        [
          'maintenance',
          'schedule',
          '--start',
          '2026-11-30T23:00Z',
          '--end',
          '2026-12-01T02:00Z',
          '--message',
          'x',
        ],
        'polaris: start: 2026-11-30T23:00:00.000Z is in the past (now 2026-12-01T00:00:00.000Z); for maintenance now use polaris maintenance on --for <duration>\n',
      ],
      [
        [
          'maintenance',
          'schedule',
          '--start',
          '2026-12-02T01:00Z',
          '--end',
          '2026-12-02T03:00Z',
          '--message',
          'x',
        ],
        `polaris: the window overlaps MW-${id} (scheduled, 2026-12-02T00:00:00.000Z to 2026-12-02T02:00:00.000Z); cancel it or pick another time\n`,
      ],
      [
        [
          'maintenance',
          'schedule',
          '--start',
          '2026-12-05 02:00',
          '--end',
          '2026-12-05T04:00Z',
          '--message',
          'x',
        ],
        "polaris: start: cannot read '2026-12-05 02:00'; use an ISO time with its zone, such as 2026-12-01T02:00:00Z or 2026-12-01T07:30:00+05:30\n",
      ],
      [
        ['maintenance', 'schedule', '--start', '2026-12-05T02:00Z', '--end', 'soon', '--message', 'x'],
        "polaris: end: cannot read 'soon'; use an ISO time with its zone, such as 2026-12-01T02:00:00Z or 2026-12-01T07:30:00+05:30\n",
      ],
      [
        [
          'maintenance',
          'schedule',
          '--start',
          '2026-12-05T02:00Z',
          '--end',
          '2026-12-06T03:00Z',
          '--message',
          'x',
        ],
        'polaris: end: the window lasts 25h; at most 24h (maintenance mode refuses every non-admin write for all of it)\n',
      ],
      [
        [
          'maintenance',
          'schedule',
          '--start',
          '2028-01-01T02:00Z',
          '--end',
          '2028-01-01T03:00Z',
          '--message',
          'x',
        ],
        'polaris: start: 2028-01-01T02:00:00.000Z is more than 365 days ahead\n',
      ],
      [
        ['maintenance', 'schedule', '--start', '2026-12-05T02:00Z', '--end', '2026-12-05T03:00Z'],
        'polaris: message: required\n',
      ],
      [
        [
          'maintenance',
          'schedule',
          '--start',
          '2026-12-05T02:00Z',
          '--end',
          '2026-12-05T03:00Z',
          '--message',
          'x',
          '--components',
          'cdn',
        ],
        "polaris: components: 'cdn' is not one of checkout, webhooks, api, web, database\n",
      ],
      [
        ['maintenance', 'schedule', '--end', '2026-12-05T03:00Z', '--message', 'x'],
        'polaris: start: required; an ISO time such as 2026-12-01T02:00:00Z\n',
      ],
      [['maintenance', 'cancel', '424242', '--yes'], 'polaris: no maintenance window MW-424242\n'],
      [
        ['maintenance', 'cancel', 'next', '--yes'],
        "polaris: id: 'next' is not a maintenance window id (a number such as 3)\n",
      ],
      [['maintenance', 'cancel', doneId, '--yes'], `polaris: MW-${doneId} is already cancelled\n`],
    ];
    for (const [args, stderr] of cases) {
      const r = await cli(...args);
      expect([args.join(' '), r.code, r.stderr]).toEqual([args.join(' '), 2, stderr]);
    }
    expect(await maintenanceAuditRows(get().db)).toEqual(audit);
    expect((await cli('maintenance', 'windows', '--all', '--json')).stdout).toBe(windows);
  });
});
