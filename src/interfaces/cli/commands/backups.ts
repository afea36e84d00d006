import type { Command } from 'commander';
import { AppError } from '../../../domain/errors.ts';
import { listBackups } from '../../../services/backups/list-backups.ts';
import { listDrills } from '../../../services/backups/list-drills.ts';
import { pruneBackups } from '../../../services/backups/prune-backups.ts';
import { restoreBackup } from '../../../services/backups/restore-backup.ts';
import { runDrill } from '../../../services/backups/run-drill.ts';
import { takeBackup } from '../../../services/backups/take-backup.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { cliActor } from '../actor.ts';
import { refuseUnconfirmed } from '../confirm.ts';
import { CliExit, EXIT, emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { backupLines, backupListLines, drillHistoryLines, drillLines, restoreLines } from './backups-text.ts';

function keepOf(raw: string): number {
  const keep = Number(raw);
  if (!Number.isInteger(keep) || keep < 1) {
    throw new AppError('bad_request', `--keep: must be a whole number of at least 1, not '${raw}'`);
  }
  return keep;
}

/** `polaris db backup | backups | restore | drill`. */
export function registerBackupCommands(db: Command, runtime: CliRuntime, json: () => boolean): void {
  db.command('backup')
    .description('stream the database to a dump with a manifest (counts and checksums per table)')
    .option('--label <label>', 'a word or two that ends up in the backup id')
    .option('--to <dir>', 'the folder (default BACKUP_DIR, else POLARIS_DATA_DIR/backups)')
    .action((options: { label?: string; to?: string }) =>
      runtime.withContext(async (ctx) => {
        const taken = await takeBackup({
          ctx,
          input: { label: options.label, dir: options.to, actor: cliActor() },
        });
        if (!taken.ok) throw taken.error;
        emit(json(), { ok: true, ...taken.value }, () =>
          backupLines(taken.value.manifest, taken.value.dumpPath),
        );
      }),
    );

  db.command('backups')
    .description('list backups with their ages; --keep N deletes all but the newest N (with --yes)')
    .option('--keep <n>', 'keep the newest n backups, delete the rest')
    .option('--yes', 'confirm the deletion --keep asks for')
    .option('--dir <dir>', 'the folder (default BACKUP_DIR, else POLARIS_DATA_DIR/backups)')
    .action((options: { keep?: string; yes?: boolean; dir?: string }) => {
      const keep = options.keep === undefined ? undefined : keepOf(options.keep);
      return runtime.withContext(async (ctx) => {
        if (keep === undefined) {
          const listed = listBackups({ ctx, input: { dir: options.dir } });
          emit(json(), listed, () => backupListLines(listed.dir, listed.backups, ctx.now()));
          return;
        }
        const input = { keep, confirmed: options.yes === true, actor: cliActor(), dir: options.dir };
        const pruned = await pruneBackups({ ctx, input });
        const lines = [
          ...pruned.kept.map((id) => `keep   ${id}`),
          ...pruned.removed.map((id) => `${pruned.confirmed ? 'deleted' : 'delete'} ${id}`),
        ];
        if (!pruned.confirmed && pruned.removed.length > 0) {
          refuseUnconfirmed(json(), pruned, lines, `--keep ${keep} deletes ${pruned.removed.length} backups`);
        }
        emit(json(), { ok: true, ...pruned }, () => (lines.length > 0 ? lines : ['no backups']));
      });
    });

  db.command('restore <id>')
    .description(
      'restore a backup (an id or latest): checks it, takes a pre-restore backup, holds writes, compares',
    )
    .option('--yes', 'confirm: every table is replaced with the backup rows')
    .option('--target <url>', 'restore into this database instead of the configured one')
    .option('--dir <dir>', 'the folder (default BACKUP_DIR, else POLARIS_DATA_DIR/backups)')
    .action((id: string, options: { yes?: boolean; target?: string; dir?: string }) => {
      const work = async (ctx: ServiceContext) => {
        const result = await restoreBackup({
          ctx,
          input: {
            id,
            confirmed: options.yes === true,
            actor: cliActor(),
            dir: options.dir,
            verify: runtime.verifyDatabase,
          },
        });
        if (!result.ok) throw result.error;
        const outcome = result.value;
        if (!outcome.confirmed) {
          refuseUnconfirmed(
            json(),
            outcome,
            restoreLines(outcome),
            `restoring ${outcome.manifest.id} replaces every table`,
          );
        }
        emit(json(), { ok: outcome.restored, ...outcome }, () => restoreLines(outcome));
        if (!outcome.restored) throw new CliExit(EXIT.checkFailed);
      };
      if (options.target === undefined) return runtime.withContext(work);
      if (!runtime.withContextAt) throw new AppError('bad_request', '--target: not available here');
      const dir = options.dir;
      // The backups stay in the configured folder; only the database changes.
      return runtime.withContext(async (home) => {
        const folder = dir ?? home.backups.dir;
        return runtime.withContextAt?.(options.target as string, (ctx) =>
          work({ ...ctx, backups: { ...ctx.backups, dir: folder } }),
        );
      });
    });

  db.command('drill [id]')
    .description('restore a backup (default the latest) into a scratch database, compare, time and record it')
    .option('--history', 'list past drills instead')
    .option('--dir <dir>', 'the folder (default BACKUP_DIR, else POLARIS_DATA_DIR/backups)')
    .action((id: string | undefined, options: { history?: boolean; dir?: string }) =>
      runtime.withContext(async (ctx) => {
        if (options.history) {
          const drills = await listDrills({ ctx, input: { limit: 20 } });
          emit(json(), { drills }, () => drillHistoryLines(drills));
          return;
        }
        const result = await runDrill({ ctx, input: { id, actor: cliActor(), dir: options.dir } });
        if (!result.ok) throw result.error;
        const { drill, phases, recoveryMs } = result.value;
        emit(json(), { ok: drill.ok, ...result.value }, () => drillLines(drill, phases, recoveryMs));
        if (!drill.ok) throw new CliExit(EXIT.checkFailed);
      }),
    );
}
