import type { Command } from 'commander';
import { getMigrationStatus } from '../../../services/db/get-migration-status.ts';
import { migrateDatabase } from '../../../services/db/migrate-database.ts';
import { rollbackDatabase } from '../../../services/db/rollback-database.ts';
import { CliExit, EXIT, emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';

type Json = { json?: boolean };

/** `polaris db url | migrate | status | rollback`. */
export function registerDbCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const db = program.command('db').description('the database: URL, migrations');

  db.command('url')
    .description('print a postgresql:// URL that psql can use')
    .action(() => {
      const { url, note } = runtime.databaseUrl();
      if (note) process.stderr.write(`polaris: ${note}\n`);
      emit(json(), { url, note }, () => [url]);
    });

  db.command('migrate')
    .description('apply pending migrations and sync the plan catalog')
    .action(() =>
      runtime.withContext(async (ctx) => {
        const result = await migrateDatabase({ ctx });
        if (!result.ok) throw result.error;
        const { applied } = result.value;
        emit(json(), { ok: true, ...result.value }, () =>
          applied.length === 0 ? ['database is up to date'] : applied.map((name) => `applied ${name}`),
        );
      }),
    );

  db.command('status')
    .description('list migrations and their state; exit 1 when the schema is not current')
    .action(() =>
      runtime.withContext(async (ctx) => {
        const status = await getMigrationStatus({ ctx });
        emit(json(), status, () => [
          ...status.migrations.map(
            (m) => `${m.state.padEnd(8)} ${m.name}${m.appliedAt ? `  ${m.appliedAt.toISOString()}` : ''}`,
          ),
          status.current ? 'schema is current' : 'schema is NOT current',
        ]);
        if (!status.current) throw new CliExit(EXIT.checkFailed);
      }),
    );

  db.command('rollback')
    .description('roll back every migration after --to (a name, its number, or 0 for all)')
    .requiredOption('--to <name>', 'the last migration to keep')
    .option('--yes', 'confirm: rolling back drops tables and their data')
    .action((options: { to: string; yes?: boolean } & Json) =>
      runtime.withContext(async (ctx) => {
        const result = await rollbackDatabase({
          ctx,
          input: { to: options.to, confirmed: options.yes === true, actor: 'cli' },
        });
        if (!result.ok) throw result.error;
        const { rolledBack } = result.value;
        emit(json(), { ok: true, ...result.value }, () =>
          rolledBack.length === 0
            ? ['nothing to roll back']
            : rolledBack.map((name) => `rolled back ${name}`),
        );
      }),
    );
}
