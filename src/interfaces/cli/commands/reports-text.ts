import { formatDuration } from '../../../domain/incident-report.ts';
import type { GameDayOutcome, GameDayStep } from '../../../services/game-day/game-day-types.ts';
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

/** One line per game-day step, as it finishes. */
export function gameDayStepLine(step: GameDayStep): string {
  const mark = step.status === 'pass' ? '✓' : '✗';
  return `${mark} ${String(step.n).padStart(2)}. ${step.name} (${formatDuration(step.ms)}): ${step.detail}`;
}

/** The end of `polaris drill incident`: the verdict, the notifications, the fake clock's span. */
export function gameDaySummary(outcome: GameDayOutcome, realMs: number): string[] {
  const failed = outcome.steps.filter((s) => s.status === 'fail');
  const notWired = failed.filter((s) => s.notWired).map((s) => s.notWired);
  return [
    '',
    `fake clock: ${when(outcome.fakeClock.from)} → ${when(outcome.fakeClock.to)}; real time ${formatDuration(realMs)}`,
    `notifications the drill would have queued: ${outcome.notifications.length}`,
    outcome.ok
      ? `game day PASSED: ${outcome.steps.length}/${outcome.steps.length} steps`
      : `game day FAILED: ${failed.length} of ${outcome.steps.length} steps (${failed.map((s) => s.n).join(', ')})${notWired.length > 0 ? `; not wired in this build: ${notWired.join(', ')}` : ''}`,
  ];
}
