import type { Command } from 'commander';
import { revokeSessions } from '../../../services/security/revoke-sessions.ts';
import { cliActor } from '../actor.ts';
import { refuseUnconfirmed } from '../confirm.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';

type RevokeOptions = { all?: boolean; user?: string; reason?: string; yes?: boolean };

/** `polaris sessions revoke --all | --user <email|id>` (DESIGN §9). */
export function registerSessionsCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const sessions = program.command('sessions').description('signed-in sessions: revoke');

  sessions
    .command('revoke')
    .description('sign out one account or everyone: the next request with an old cookie answers 401')
    .option('--all', 'every session of every account (asks for --yes)')
    .option('--user <user>', 'the sessions of one account, by email or user id')
    .option('--reason <text>', 'why (required; goes to the audit log)')
    .option('--yes', 'confirm --all')
    .action((options: RevokeOptions) =>
      runtime.withContext(async (ctx) => {
        const actor = cliActor();
        const done = await revokeSessions({
          ctx,
          input: { ...options, actor, confirmed: options.yes === true },
        });
        if (!done.confirmed) {
          refuseUnconfirmed(
            json(),
            done,
            [`would revoke ${done.sessions} live sessions of every account`],
            'revoking every session signs everyone out, operators included',
          );
        }
        emit(json(), { ok: true, ...done }, () => [
          `revoked ${done.sessions} live session${done.sessions === 1 ? '' : 's'} of ${done.email ?? 'every account'}`,
          `recorded in audit_log as ${actor}`,
        ]);
      }),
    );
}
