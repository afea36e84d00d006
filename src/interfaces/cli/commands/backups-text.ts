import { ageOf, type BackupManifest } from '../../../domain/backups.ts';
import type { BackupEntry } from '../../../services/backups/list-backups.ts';
import type { DrillRow } from '../../../services/backups/list-drills.ts';
import type { RestoreOutcome } from '../../../services/backups/restore-backup.ts';
import { table } from '../table.ts';

/** Bytes as a short size: `812 B`, `4.2 MB`. */
export function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rowsOf = (m: BackupManifest) => m.tables.reduce((sum, t) => sum + t.rows, 0);

/** What `db backup` prints. */
export function backupLines(m: BackupManifest, dumpPath: string): string[] {
  return [
    `backup ${m.id}`,
    `  engine    ${m.engine} ${m.server_version}, schema ${m.schema_version ?? '(empty)'}, polaris ${m.polaris_version}`,
    `  dump      ${dumpPath} (${sizeOf(m.dump.size)}, sha256 ${m.dump.sha256.slice(0, 16)}…)`,
    `  rows      ${rowsOf(m)} in ${m.tables.length} tables, each with a checksum in the manifest`,
    `  took      ${seconds(m.duration_ms)}`,
  ];
}

/** The `db backups` listing. */
export function backupListLines(dir: string, backups: BackupEntry[], now: Date): string[] {
  if (backups.length === 0) return [`no backups in ${dir}`];
  return [
    `backups in ${dir}`,
    table(
      ['id', 'age', 'engine', 'schema', 'rows', 'size'],
      backups.map(({ id, manifest: m, problem }) =>
        m
          ? [
              id,
              ageOf(m.created_at, now),
              `${m.engine} ${m.server_version}`,
              m.schema_version,
              rowsOf(m),
              sizeOf(m.dump.size),
            ]
          : [id, '', '', `unreadable: ${problem}`, '', ''],
      ),
    ),
  ];
}

/** What `db restore` prints: the checks, each table against the manifest, verify, and the modes. */
export function restoreLines(o: RestoreOutcome): string[] {
  const lines = [
    `backup ${o.manifest.id}: manifest and dump checked (sha256 ${o.manifest.dump.sha256.slice(0, 16)}…)`,
  ];
  if (!o.confirmed)
    return [...lines, `would replace every table's rows with the backup's (${rowsOf(o.manifest)} rows)`];
  lines.push(`pre-restore backup ${o.preRestoreBackup}`);
  const differing = o.tables.filter((t) => !t.match);
  if (differing.length === 0) {
    const rows = o.tables.reduce((sum, t) => sum + (t.actual ?? 0), 0);
    lines.push(
      `every table equals the manifest: ${o.tables.length} tables, ${rows} rows, counts and checksums`,
    );
  } else {
    lines.push(
      table(
        ['table', 'backup rows', 'restored rows', 'checksum'],
        differing.map((t) => [t.table, t.expected, t.actual, 'DIFFERS']),
      ),
    );
  }
  if (o.differing.length > 0)
    lines.push(`differs from the backup: ${o.differing.join(', ')} (the load was rolled back)`);
  if (!o.verify.wired) lines.push('db verify: not wired in this build, so not run');
  else lines.push(o.verify.ok ? 'db verify: clean' : `db verify: failed: ${o.verify.failed.join(', ')}`);
  const phases = Object.entries(o.phases).map(([p, ms]) => `${p} ${seconds(ms)}`);
  lines.push(`phases: ${phases.join(', ')}`);
  lines.push(
    o.restored
      ? o.modesLeftOn
        ? 'restored; maintenance or read-only was already on before the restore and stays on'
        : 'restored; maintenance and read-only are off again'
      : 'NOT restored cleanly: maintenance and read-only stay on (see RUNBOOK.md, "Backups, restore and the quarterly drill")',
  );
  return lines;
}

/** What `db drill` prints. */
export function drillLines(drill: DrillRow, phases: Record<string, number>, recoveryMs: number): string[] {
  return [
    `drill of backup ${drill.backup_id} into a scratch ${drill.engine} database`,
    ...Object.entries(phases).map(([phase, ms]) => `  ${phase.padEnd(8)} ${seconds(ms)}`),
    drill.ok ? 'every table equals the manifest' : `differs from the manifest: ${drill.differing.join(', ')}`,
    `measured recovery time: ${seconds(recoveryMs)}`,
  ];
}

/** The `db drill --history` listing. */
export function drillHistoryLines(drills: DrillRow[]): string[] {
  if (drills.length === 0) return ['no drills yet: run polaris db drill'];
  return [
    table(
      ['when', 'backup', 'engine', 'result', 'recovery'],
      drills.map((d) => [
        d.started_at.toISOString(),
        d.backup_id,
        d.engine,
        d.ok ? 'ok' : `differs: ${d.differing.join(', ')}`,
        seconds(d.recovery_ms),
      ]),
    ),
  ];
}
