import { ACCOUNT_TABLES } from '../../../domain/schema-catalog.ts';
import { describeDrift, type SchemaCheck } from '../../../services/db/check-schema.ts';
import type { RollbackPreview } from '../../../services/db/preview-rollback.ts';
import { BACKUP_UNAVAILABLE, type BackupPlan } from '../../../services/db/rollback-database.ts';

const rows = (n: number | null) => (n === null ? 'already missing' : `${n} ${n === 1 ? 'row' : 'rows'}`);

/** The rollback preview for people: each migration, what it drops, and whether accounts survive. */
export function previewLines(preview: RollbackPreview): string[] {
  if (preview.undo.length === 0) return [`nothing to roll back: no migration after ${preview.to} is applied`];
  const count = preview.undo.length;
  const what = `${count} ${count === 1 ? 'migration' : 'migrations'}`;
  const lines = [
    preview.to === null
      ? `Rolling back ${what}, newest first:`
      : `Rolling back to ${preview.to} undoes ${what}, newest first:`,
  ];
  for (const step of preview.undo) {
    lines.push(`  ${step.name}`);
    for (const t of step.tables) lines.push(`    drops table ${t.name} (${rows(t.rows)})`);
    if (step.columns.length > 0) lines.push(`    drops columns ${step.columns.join(', ')}`);
    // Names only: the signatures are in --json.
    const functions = step.functions.map((f) => f.slice(0, f.indexOf('(')));
    if (functions.length > 0) lines.push(`    drops functions ${functions.join(', ')}`);
  }
  const accounts: readonly string[] = ACCOUNT_TABLES;
  const lost = preview.undo.flatMap((s) => s.tables).filter((t) => accounts.includes(t.name));
  lines.push(
    preview.accountsSurvive
      ? `Accounts survive: ${ACCOUNT_TABLES.join(', ')} are kept.`
      : `Accounts DO NOT survive: ${lost.map((t) => `${t.name} (${rows(t.rows)})`).join(', ')} dropped; nobody can sign in, and migrating forward does not bring them back.`,
  );
  if (!preview.auditSurvives) lines.push('audit_log is dropped too: this rollback cannot be recorded there.');
  return lines;
}

/** Why an unconfirmed rollback stopped (exit 2), and what to run next given the backup it would take. */
export function unconfirmedMessage(
  preview: RollbackPreview,
  backup: BackupPlan,
): { code: 'bad_request' | 'unavailable'; message: string } {
  const what = preview.to === null ? 'this rollback' : `rolling back to ${preview.to}`;
  const drops = `${what} drops the tables above and their data`;
  if (backup === 'unavailable') {
    return {
      code: 'unavailable',
      message: `${BACKUP_UNAVAILABLE}: ${drops}; copy the database yourself (RUNBOOK.md, "Backup-Based Rollback"), then run again with --no-backup --yes`,
    };
  }
  const then = backup === 'planned' ? 'a backup is taken first' : 'no backup is taken: --no-backup';
  return { code: 'bad_request', message: `${drops}; run again with --yes to confirm (${then})` };
}

/** The line saying which backup a confirmed rollback took, or why none. */
export function backupLine(backup: { id: string; path: string } | null, wanted: boolean): string {
  if (backup) return `backed up first: ${backup.id} (${backup.path})`;
  return wanted ? 'no backup taken: nothing to roll back' : 'no backup taken (--no-backup)';
}

/** The schema check for people: a line naming the drift, or none. */
export function driftLines(schema: SchemaCheck): string[] {
  const drift = describeDrift(schema);
  return drift ? [drift] : [];
}
