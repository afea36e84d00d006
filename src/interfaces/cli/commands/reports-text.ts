import { formatDuration } from '../../../domain/incident-report.ts';
import type { MonthlyReview } from '../../../services/reports/review-month.ts';
import { table } from '../table.ts';

const when = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const MARK = { ok: '✓', attention: '✗', manual: '·' } as const;
const yesNo = (v: boolean | null) => (v === null ? '' : v ? 'yes' : 'NO');

/** `polaris review monthly` as people read it: the runbook's items first, then the record. */
export function reviewLines(r: MonthlyReview): string[] {
  const lines = [
    `Monthly review ${r.month.label} (${when(r.month.from)} – ${when(r.month.to)})`,
    '',
    ...r.items.map((i) => `${MARK[i.status]} ${i.item}: ${i.detail}`),
    '',
    `Incidents (${r.incidents.length}):`,
    r.incidents.length === 0
      ? '  none'
      : table(
          ['id', 'severity', 'status', 'title', 'detected', 'TTA', 'in time', 'TTR'],
          r.incidents.map((i) => [
            i.label,
            i.severity,
            i.status,
            i.title,
            when(i.detectedAt),
            formatDuration(i.tta),
            yesNo(i.respondedInTime),
            formatDuration(i.ttr),
          ]),
        ),
    ...r.lessons.map((l) => `  ${l.incident} ${l.text}`),
    '',
    `Backup drills (${r.backupDrills.length}):`,
    r.backupDrills.length === 0
      ? '  none'
      : table(
          ['drill', 'backup', 'result', 'recovery', 'started'],
          r.backupDrills.map((d) => [
            d.id,
            d.backupId,
            d.ok ? 'matched' : 'DIFFERED',
            formatDuration(d.recoveryMs),
            when(d.startedAt),
          ]),
        ),
    `Game days (${r.gameDays.length}):${r.gameDays.length === 0 ? ' none' : ''}`,
    ...r.gameDays.map(
      (g) => `  ${when(g.at)} ${g.ok ? 'passed' : `failed: ${g.failed.join(', ')}`} (${g.actor})`,
    ),
    `Migration rollbacks run: ${r.rollbacks.length === 0 ? 'none' : r.rollbacks.map((b) => `${b.target} at ${when(b.at)}`).join(', ')}`,
    `db verify now: ${r.verify.ok ? 'clean' : `FAILED ${r.verify.failed.join(', ')}`}; repairs this month: ${r.verify.repairs}`,
    `Rollback test: ${r.rollbackTest.tested ? 'tested' : 'NOT TESTED'}: ${r.rollbackTest.detail}`,
  ];
  return lines;
}
