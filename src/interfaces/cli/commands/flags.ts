import type { Command } from 'commander';
import type { FlagState } from '../../../domain/flags.ts';
import { emergencyShutdown } from '../../../services/flags/emergency-shutdown.ts';
import { getFlags } from '../../../services/flags/get-flags.ts';
import { liftEmergency } from '../../../services/flags/lift-emergency.ts';
import { setFlag } from '../../../services/flags/set-flag.ts';
import { cliActor } from '../actor.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { changeLines, flagsTable, liftLines, shutdownLines } from './flags-text.ts';

type ChangeOptions = { reason?: string; for?: string; message?: string };

const REASON = ['--reason <text>', 'why (required; goes to the audit log)'] as const;
const FOR = ['--for <duration>', 'revert by itself after this long: 90s, 30m, 2h, 1d (at most 30d)'] as const;
const MESSAGE = ['--message <text>', 'shown to people (banner, 503 body)'] as const;

/** `polaris flags`, `payments`, `maintenance`, `readonly` and `emergency` (issue 9 §1, §2). */
export function registerFlagsCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const change = (name: string, state: string, options: ChangeOptions) =>
    runtime.withContext(async (ctx) => {
      const done = await setFlag({ ctx, input: { name, state, ...options, actor: cliActor() } });
      emit(json(), { ok: true, ...done }, () => changeLines(done));
    });
  // `polaris <name> on|off`: turning a mode on takes --for and --message, the normal state only a reason.
  const toggle = (name: string, label: string, active: FlagState, description: string) => {
    const command = program.command(label).description(description);
    const normal: FlagState = active === 'on' ? 'off' : 'on';
    command
      .command(active)
      .description(`${label} ${active}`)
      .option(...REASON)
      .option(...FOR)
      .option(...MESSAGE)
      .action((options: ChangeOptions) => change(name, active, options));
    command
      .command(normal)
      .description(`${label} ${normal} (the normal state)`)
      .option(...REASON)
      .action((options: ChangeOptions) => change(name, normal, options));
  };
  toggle(
    'payments',
    'payments',
    'off',
    'stop or resume new checkouts and plan changes (webhooks still apply)',
  );
  toggle('maintenance', 'maintenance', 'on', 'banner everywhere; non-admin writes answer 503');
  toggle('read_only', 'readonly', 'on', 'no user data changes; webhooks are stored, processing waits');

  const flags = program
    .command('flags')
    .description('the kill switches: state, who set them, why, since and until when')
    .action(() =>
      runtime.withContext(async (ctx) => {
        const view = await getFlags({ ctx });
        emit(json(), { flags: view.flags }, () => flagsTable(view));
      }),
    );
  flags
    .command('set <name> <state>')
    .description('set any flag: payments, maintenance or read-only, on or off')
    .option(...REASON)
    .option(...FOR)
    .option(...MESSAGE)
    .action((name: string, state: string, options: ChangeOptions) => change(name, state, options));

  const emergency = program.command('emergency').description('every mode at once');
  emergency
    .command('shutdown')
    .description('payments off, maintenance on and read-only on, in one transaction')
    .option(...REASON)
    .option(...MESSAGE)
    .action((options: ChangeOptions) =>
      runtime.withContext(async (ctx) => {
        const actor = cliActor();
        const done = await emergencyShutdown({ ctx, input: { ...options, actor } });
        emit(json(), { ok: true, ...done }, () => shutdownLines(done, actor));
      }),
    );
  emergency
    .command('lift')
    .description('every active mode back to normal, one audit entry each')
    .option(...REASON)
    .action((options: ChangeOptions) =>
      runtime.withContext(async (ctx) => {
        const actor = cliActor();
        const done = await liftEmergency({ ctx, input: { reason: options.reason, actor } });
        emit(json(), { ok: true, ...done }, () => liftLines(done, actor));
      }),
    );
}
