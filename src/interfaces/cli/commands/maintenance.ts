import type { Command } from 'commander';
import { COMPONENTS } from '../../../domain/incidents.ts';
import { cancelMaintenance } from '../../../services/maintenance/cancel-maintenance.ts';
import { listMaintenanceWindows } from '../../../services/maintenance/list-maintenance.ts';
import { scheduleMaintenance } from '../../../services/maintenance/schedule-maintenance.ts';
import { cliActor } from '../actor.ts';
import { refuseUnconfirmed } from '../confirm.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { cancelLines, scheduledLines, windowsTable } from './maintenance-text.ts';

type ScheduleOptions = {
  start?: string;
  end?: string;
  message?: string;
  components?: string;
  notify?: boolean;
};

/**
 * `polaris maintenance schedule|windows|cancel` (issue 11 §7), beside `maintenance on|off` of
 * commands/flags.ts under the same `maintenance` command (register after the flags commands).
 */
export function registerMaintenanceCommands(
  program: Command,
  runtime: CliRuntime,
  json: () => boolean,
): void {
  const maintenance =
    program.commands.find((c) => c.name() === 'maintenance') ?? program.command('maintenance');
  maintenance.description(
    'maintenance mode now (on, off) or in scheduled windows (schedule, windows, cancel)',
  );
  maintenance
    .command('schedule')
    .description(
      'schedule a maintenance window: the mode turns on and off by itself, the status page shows it',
    )
    .option('--start <time>', 'ISO time with its zone: 2026-12-01T02:00:00Z or 2026-12-01T07:30:00+05:30')
    .option('--end <time>', 'ISO time with its zone (at most 24 h after the start)')
    .option('--message <text>', 'what is being done (the banner and the notice show it)')
    .option('--components <list>', `affected, comma-separated: ${COMPONENTS.join(', ')} (default: all)`)
    .option('--notify', 'tell status subscribers now and 24 h before')
    .action((options: ScheduleOptions) =>
      runtime.withContext(async (ctx) => {
        const window = await scheduleMaintenance({ ctx, input: { ...options, actor: cliActor() } });
        emit(json(), { ok: true, window }, () => scheduledLines(window));
      }),
    );
  maintenance
    .command('windows')
    .description('the scheduled and in-progress windows, soonest first')
    .option('--all', 'also the completed and cancelled ones, newest first')
    .action((options: { all?: boolean }) =>
      runtime.withContext(async (ctx) => {
        const windows = await listMaintenanceWindows({ ctx, input: { all: options.all } });
        emit(json(), { windows }, () => windowsTable(windows, options.all === true));
      }),
    );
  maintenance
    .command('cancel <id>')
    .description('cancel a window; one in progress turns maintenance off (unless someone set it by hand)')
    .option('--reason <text>', 'why (goes to the audit log)')
    .option('--yes', 'confirm')
    .action((id: string, options: { reason?: string; yes?: boolean }) =>
      runtime.withContext(async (ctx) => {
        const input = { id, reason: options.reason, actor: cliActor(), confirmed: options.yes === true };
        const outcome = await cancelMaintenance({ ctx, input });
        if (!outcome.confirmed) {
          refuseUnconfirmed(
            json(),
            outcome,
            cancelLines(outcome),
            'cancelling a window stops it and its notices',
          );
        }
        emit(json(), { ok: true, ...outcome }, () => cancelLines(outcome));
      }),
    );
}
