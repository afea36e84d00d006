import { Command, CommanderError } from 'commander';
import { AppError } from '../../domain/errors.ts';
import { registerAlertsCommands } from './commands/alerts.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerConfigCommands } from './commands/config.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerDeploysCommands } from './commands/deploys.ts';
import { registerEmulatorCommands } from './commands/emulator.ts';
import { registerFlagsCommands } from './commands/flags.ts';
import { registerIncidentCommands } from './commands/incidents.ts';
import { registerMaintenanceCommands } from './commands/maintenance.ts';
import { registerNotificationsCommands } from './commands/notifications.ts';
import { registerPlansCommands } from './commands/plans.ts';
import { registerPolicyCommands } from './commands/policy.ts';
import { registerReconcileCommands } from './commands/reconcile.ts';
import { registerDrillCommands, registerReviewCommands } from './commands/reports.ts';
import { registerRestoreCheckCommands } from './commands/restore-check.ts';
import { registerSecretsCommands } from './commands/secrets.ts';
import { registerSessionsCommands } from './commands/sessions.ts';
import { registerSmokeCommands } from './commands/smoke.ts';
import { registerUsersCommands } from './commands/users.ts';
import { registerWebhooksCommands } from './commands/webhooks.ts';
import { EXIT, reportFailure } from './output.ts';
import type { CliRuntime } from './runtime.ts';

/** Builds the `polaris` command tree (DESIGN §11). */
export function buildProgram(runtime: CliRuntime): Command {
  const program = new Command('polaris')
    .description('Polaris: Razorpay billing and the emergency runbook as commands')
    .option('--json', 'machine-readable output')
    .exitOverride()
    .showHelpAfterError(false);
  const json = () => program.opts<{ json?: boolean }>().json === true;

  program
    .command('start')
    .description('server + webhook inbox worker; embedded database and emulator when nothing is configured')
    .action(() => runtime.startServer());
  program
    .command('worker')
    .description(
      'the webhook inbox processor only, for scale-out (needs DATABASE_URL to run beside a server)',
    )
    .action(() => runtime.runWorker());
  registerDbCommands(program, runtime, json);
  registerEmulatorCommands(program, runtime, json);
  registerUsersCommands(program, runtime, json);
  registerPlansCommands(program, runtime, json);
  registerSecretsCommands(program, runtime, json);
  registerConfigCommands(program, runtime, json);
  registerDeploysCommands(program, runtime, json);
  registerSessionsCommands(program, runtime, json);
  registerAuditCommands(program, runtime, json);
  registerFlagsCommands(program, runtime, json);
  registerWebhooksCommands(program, runtime, json);
  registerReconcileCommands(program, runtime, json);
  registerSmokeCommands(program, runtime, json);
  registerRestoreCheckCommands(program, runtime, json);
  registerIncidentCommands(program, runtime, json);
  registerPolicyCommands(program, runtime, json);
  registerAlertsCommands(program, runtime, json);
  registerMaintenanceCommands(program, runtime, json);
  registerReviewCommands(program, runtime, json);
  registerDrillCommands(program, runtime, json);
  registerNotificationsCommands(program, runtime, json);
  return program;
}

/** Parses argv, runs the command and returns its exit code; errors become one line (or JSON). */
export async function runProgram(runtime: CliRuntime, argv: string[]): Promise<number> {
  const program = buildProgram(runtime);
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      if (error.code === 'commander.help') return EXIT.ok;
      return EXIT.couldNotRun;
    }
    const json = argv.includes('--json');
    return reportFailure(json, error instanceof Error ? error : new AppError('internal', String(error)));
  }
}
