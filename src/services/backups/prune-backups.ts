import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { listBackups } from './list-backups.ts';

/** Keep the newest `keep` backups; delete the rest only when confirmed. */
export type PruneBackupsInput = { keep: number; confirmed: boolean; actor: string; dir?: string | undefined };

/** What a prune keeps and deletes (or would delete, unconfirmed). */
export type PruneOutcome = { dir: string; kept: string[]; removed: string[]; confirmed: boolean };

/** Deletes every backup but the newest `keep` (dump and manifest), with an audit row naming them. */
export async function pruneBackups({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: PruneBackupsInput;
}): Promise<PruneOutcome> {
  if (!Number.isInteger(input.keep) || input.keep < 1) {
    throw new AppError('bad_request', `keep: must be a whole number of at least 1, not ${input.keep}`);
  }
  const { dir, backups } = listBackups({ ctx, input: { dir: input.dir } });
  const kept = backups.slice(0, input.keep).map((b) => b.id);
  const removed = backups.slice(input.keep).map((b) => b.id);
  if (!input.confirmed || removed.length === 0) return { dir, kept, removed, confirmed: input.confirmed };
  await ctx.transaction((repos) =>
    repos.audit.record({
      actor: input.actor,
      action: 'backup.prune',
      target: dir,
      details: { keep: input.keep, removed },
    }),
  );
  for (const id of removed) ctx.backups.files.removeBackup(dir, id);
  return { dir, kept, removed, confirmed: true };
}
