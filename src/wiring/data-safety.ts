import { checkFailed } from '../domain/verify-checks.ts';
import type { CliRuntime } from '../interfaces/cli/runtime.ts';
import { takeBackup } from '../services/backups/take-backup.ts';
import { verifyDatabase } from '../services/verify/verify-database.ts';

/** `db restore` runs the real `db verify` once the rows are back, and names the error checks that failed. */
export const verifyAfterRestore: NonNullable<CliRuntime['verifyDatabase']> = async (ctx) => {
  const report = await verifyDatabase({ ctx });
  const failed = report.checks.filter((c) => c.severity === 'error' && checkFailed(c)).map((c) => c.name);
  return { ok: report.ok, failed };
};

/** `db rollback` takes a `db backup` (labelled with what it keeps) before it drops anything. */
export const backupBeforeRollback: NonNullable<CliRuntime['backupBeforeRollback']> = async (ctx, label) => {
  const taken = await takeBackup({ ctx, input: { label } });
  return taken.ok ? { ok: true, value: { id: taken.value.manifest.id, path: taken.value.dumpPath } } : taken;
};
