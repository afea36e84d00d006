import type { Command } from 'commander';
import { createUser } from '../../../services/users/create-user.ts';
import { cliActor } from '../actor.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';

type CreateOptions = { email: string; password?: string; admin?: boolean; name?: string };

/** `polaris users create` (DESIGN §11). */
export function registerUsersCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const users = program.command('users').description('accounts: create');

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
}
