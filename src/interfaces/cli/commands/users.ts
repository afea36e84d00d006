import type { Command } from 'commander';
import { requirePasswordReset } from '../../../services/security/require-password-reset.ts';
import { createUser } from '../../../services/users/create-user.ts';
import { disableUser } from '../../../services/users/disable-user.ts';
import { enableUser } from '../../../services/users/enable-user.ts';
import { cliActor } from '../actor.ts';
import { refuseUnconfirmed } from '../confirm.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { table } from '../table.ts';

type CreateOptions = { email: string; password?: string; admin?: boolean; name?: string };
type ReasonOption = { reason?: string };
type ResetOptions = ReasonOption & { all?: boolean; user?: string; yes?: boolean };

/** `polaris users create | disable | enable | require-password-reset` (DESIGN §9, §11). */
export function registerUsersCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const users = program
    .command('users')
    .description('accounts: create, disable, enable, require a password reset');

  users
    .command('create')
    .description('create an account (a user, or an admin with --admin); prints a generated password')
    .requiredOption('--email <email>', 'the sign-in email')
    .option('--password <password>', 'the password (default: generate one and print it once)')
    .option('--admin', 'give the account the admin role')
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .action((options: CreateOptions) =>
      runtime.withContext(async (ctx) => {
        const created = await createUser({
          ctx,
          input: {
            email: options.email,
            password: options.password,
            name: options.name,
            role: options.admin ? 'admin' : 'user',
            actor: cliActor(),
          },
        });
        const { generatedPassword, ...account } = created;
        emit(
          json(),
          { ok: true, ...account, ...(generatedPassword ? { password: generatedPassword } : {}) },
          () => [
            `created ${account.role} ${account.email} (user id ${account.userId})`,
            ...(generatedPassword ? [`password: ${generatedPassword}  (shown once; store it now)`] : []),
          ],
        );
      }),
    );

  registerSecurityCommands(users, runtime, json);
}

/** The security commands on one account, or on all of them (`--all` asks for --yes). */
function registerSecurityCommands(users: Command, runtime: CliRuntime, json: () => boolean): void {
  users
    .command('disable <user>')
    .description(
      'disable an account (email or user id): signed out everywhere, sign-in refused; billing untouched',
    )
    .option('--reason <text>', 'why (required; goes to the audit log)')
    .option('--yes', 'confirm')
    .action((user: string, options: ReasonOption & { yes?: boolean }) =>
      runtime.withContext(async (ctx) => {
        const actor = cliActor();
        const input = { user, reason: options.reason, actor, confirmed: options.yes === true };
        const done = await disableUser({ ctx, input });
        if (!done.confirmed) {
          refuseUnconfirmed(
            json(),
            done,
            [
              `would disable ${done.email} (user id ${done.userId}) and revoke its ${done.liveSessions} live sessions`,
            ],
            'disabling an account signs it out everywhere and refuses its sign-in',
          );
        }
        emit(json(), { ok: true, ...done }, () => [
          done.changed
            ? `disabled ${done.email} (user id ${done.userId}); sign-in now answers 403 account_disabled`
            : `${done.email} was already disabled (since ${done.disabledAt.toISOString()})`,
          `sessions revoked: ${done.sessionsRevoked}; the subscription is untouched`,
          `recorded in audit_log as ${actor}`,
        ]);
      }),
    );

  users
    .command('enable <user>')
    .description('let a disabled account (email or user id) sign in again')
    .option('--reason <text>', 'why (required; goes to the audit log)')
    .action((user: string, options: ReasonOption) =>
      runtime.withContext(async (ctx) => {
        const actor = cliActor();
        const done = await enableUser({ ctx, input: { user, reason: options.reason, actor } });
        emit(json(), { ok: true, ...done }, () => [
          done.changed
            ? `enabled ${done.email} (user id ${done.userId}); it can sign in again`
            : `${done.email} was not disabled; nothing changed`,
          `recorded in audit_log as ${actor}`,
        ]);
      }),
    );

  users
    .command('require-password-reset')
    .description(
      'revoke sessions and refuse sign-in until a new password is set; prints one reset link per account',
    )
    .option('--all', 'every account (asks for --yes)')
    .option('--user <user>', 'one account, by email or user id')
    .option('--reason <text>', 'why (required; goes to the audit log)')
    .option('--yes', 'confirm --all')
    .action((options: ResetOptions) =>
      runtime.withContext(async (ctx) => {
        const actor = cliActor();
        const input = { ...options, actor, confirmed: options.yes === true };
        const done = await requirePasswordReset({ ctx, input });
        if (!done.confirmed) {
          refuseUnconfirmed(
            json(),
            done,
            [
              `would require a new password of ${done.users} accounts and revoke ${done.sessionsRevoked} live sessions`,
            ],
            'requiring a password reset of every account signs everyone out',
          );
        }
        emit(json(), { ok: true, ...done }, () => [
          `password reset required of ${done.users} account${done.users === 1 ? '' : 's'}; sessions revoked: ${done.sessionsRevoked}`,
          table(
            ['email', 'reset link (single use)', 'expires'],
            done.links.map((l) => [l.email, l.link, l.expiresAt.toISOString()]),
          ),
          'Hand each link to its owner over a trusted channel: delivery through the notification outbox comes with the incidents work.',
          `recorded in audit_log as ${actor}`,
        ]);
      }),
    );
}
