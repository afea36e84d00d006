import { ACCOUNT_TABLES } from '../../../domain/schema-catalog.ts';
import { describeDrift, type SchemaCheck } from '../../../services/db/check-schema.ts';
import type { RollbackPreview } from '../../../services/db/preview-rollback.ts';

const rows = (n: number | null) => (n === null ? 'already missing' : `${n} ${n === 1 ? 'row' : 'rows'}`);

/** The rollback preview for people: each migration, what it drops, and whether accounts survive. */
export function previewLines(preview: RollbackPreview): string[] {
  if (preview.undo.length === 0) return [`nothing to roll back: ${preview.to} is the last applied migration`];
  const lines = [`Rolling back to ${preview.to} undoes ${preview.undo.length} migration(s), newest first:`];
  for (const step of preview.undo) {
    const parts = [
      step.tables.length === 0
        ? 'drops no table'
        : `drops ${step.tables.map((t) => `table ${t.name} (${rows(t.rows)})`).join(', ')}`,
    ];
    if (step.columns.length > 0) parts.push(`columns ${step.columns.join(', ')}`);
    if (step.functions.length > 0) parts.push(`functions ${step.functions.join(', ')}`);
    lines.push(`  ${step.name}: ${parts.join('; ')}`);
  }
  const accounts: readonly string[] = ACCOUNT_TABLES;
  const lost = preview.undo.flatMap((s) => s.tables).filter((t) => accounts.includes(t.name));
  lines.push(
    preview.accountsSurvive
      ? `Accounts survive: ${ACCOUNT_TABLES.join(', ')} are kept.`
      : `Accounts DO NOT survive: ${lost.map((t) => `${t.name} (${rows(t.rows)})`).join(', ')} dropped; nobody can sign in.`,
  );
  if (!preview.auditSurvives) lines.push('audit_log is dropped too: this rollback cannot be recorded there.');
  return lines;
}

/** The schema check for people: a line naming the drift, or none. */
export function driftLines(schema: SchemaCheck): string[] {
  const drift = describeDrift(schema);
  return drift ? [drift] : [];
}
