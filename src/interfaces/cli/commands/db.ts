import type { Command } from 'commander';
import { AppError } from '../../../domain/errors.ts';
import { getMigrationStatus } from '../../../services/db/get-migration-status.ts';
import { migrateDatabase } from '../../../services/db/migrate-database.ts';
import type { RollbackRequest } from '../../../services/db/preview-rollback.ts';
import { rollbackDatabase } from '../../../services/db/rollback-database.ts';
import { cliActor } from '../actor.ts';
import { CliExit, EXIT, emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { registerBackupCommands } from './backups.ts';
import { backupLine, driftLines, previewLines, unconfirmedMessage } from './db-text.ts';
import { registerDbVerifyCommand } from './db-verify.ts';

type Json = { json?: boolean };

/** `polaris db url | migrate | status | rollback`, and the backup commands (backups.ts). */
export function registerDbCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const db = program.command('db').description('the database: URL, migrations, backups');
  registerBackupCommands(db, runtime, json);

  db.command('url')
    .description('print a postgresql:// URL that psql can use')
    .action(() => {
      const { url, note } = runtime.databaseUrl();
      if (note) process.stderr.write(`polaris: ${note}\n`);
      emit(json(), { url, note }, () => [url]);
    });

  db.command('migrate')
    .description('apply pending migrations and sync the plan catalog; exit 1 when the schema has drifted')
    .action(() =>
      runtime.withContext(async (ctx) => {
        const result = await migrateDatabase({ ctx, input: { actor: cliActor() } });
        if (!result.ok) throw result.error;
        const { applied, schema } = result.value;
        emit(json(), { ok: schema.ok, ...result.value }, () => [
          ...applied.map((name) => `applied ${name}`),
          ...(schema.ok
            ? [applied.length === 0 ? 'database is up to date' : 'schema is current']
            : [...driftLines(schema), 'schema is NOT current: see RUNBOOK.md, "Schema drift"']),
        ]);
        if (!schema.ok) throw new CliExit(EXIT.checkFailed);
      }),
    );

  db.command('status')
    .description('list migrations and check the schema; exit 1 when it is not current, naming what is wrong')
    .action(() =>
      runtime.withContext(async (ctx) => {
        const status = await getMigrationStatus({ ctx });
        emit(json(), status, () => [
          ...status.migrations.map(
            (m) => `${m.state.padEnd(8)} ${m.name}${m.appliedAt ? `  ${m.appliedAt.toISOString()}` : ''}`,
          ),
          ...driftLines(status.schema),
          status.current ? 'schema is current' : 'schema is NOT current',
        ]);
        if (!status.current) throw new CliExit(EXIT.checkFailed);
      }),
    );

  db.command('rollback')
    .description(
      'roll back every migration after --to (a name, its number, or 0 for all), or exactly --only; shows what it drops, then backs up first',
    )
    .option('--to <name>', 'the last migration to keep')
    .option(
      '--only <names>',
      'comma-separated migrations to undo (with whatever their group applied after them)',
    )
    .option('--no-backup', 'do not take a backup before rolling back')
    .option('--yes', 'confirm: rolling back drops tables and their data')
    .action((options: { to?: string; only?: string; yes?: boolean; backup: boolean } & Json) => {
      const request = rollbackRequest(options);
      return runtime.withContext(async (ctx) => {
        const actor = cliActor();
        const take = runtime.backupBeforeRollback;
        const result = await rollbackDatabase({
          ctx: { ...ctx, takeBackup: take && ((label) => take(ctx, label)) },
          input: { ...request, confirmed: options.yes === true, actor, backup: options.backup },
        });
        if (!result.ok) throw result.error;
        const outcome = result.value;
        if (!outcome.confirmed) {
          const { code, message } = unconfirmedMessage(outcome.preview, outcome.backup);
          emit(json(), { ok: false, ...outcome, error: { code, message } }, () =>
            previewLines(outcome.preview),
          );
          if (!json()) process.stderr.write(`polaris: ${message}\n`);
          throw new CliExit(EXIT.couldNotRun);
        }
        emit(json(), { ok: true, ...outcome }, () => [
          ...previewLines(outcome.preview),
          backupLine(outcome.backup, options.backup),
          ...outcome.rolledBack.map((name) => `rolled back ${name}`),
          outcome.audited ? `recorded in audit_log as ${actor}` : 'not recorded: audit_log was dropped',
        ]);
      });
    });
  registerDbVerifyCommand(db, runtime, json);
}

// Exactly one of --to and --only: a linear rollback, or some migrations by name.
function rollbackRequest(options: { to?: string; only?: string }): RollbackRequest {
  if ((options.to === undefined) === (options.only === undefined)) {
    throw new AppError(
      'bad_request',
      'name the rollback with --to <last to keep> or --only <names>, not both',
    );
  }
  if (options.to !== undefined) return { to: options.to };
  return {
    only: (options.only ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== ''),
  };
}
