import { type MaintenanceWindow, spanText, windowLabel } from '../../../domain/maintenance.ts';
import type { CancelOutcome } from '../../../services/maintenance/cancel-maintenance.ts';
import { flagOutcomeText } from '../../../services/maintenance/maintenance-flag.ts';
import { table } from '../table.ts';

const when = (date: Date) => date.toISOString().replace(/:00\.000Z$/, 'Z');
const span = (w: MaintenanceWindow) =>
  `${when(w.startsAt)} to ${when(w.endsAt)} (${spanText(w.endsAt.getTime() - w.startsAt.getTime())})`;
const componentsOf = (w: MaintenanceWindow) => (w.components.length > 0 ? w.components.join(', ') : 'all');

/** What `polaris maintenance schedule` stored, and what happens next. */
export function scheduledLines(w: MaintenanceWindow): string[] {
  return [
    `scheduled ${windowLabel(w.id)}: ${span(w)}`,
    `  message:    ${w.message}`,
    `  components: ${componentsOf(w)}`,
    `  notify:     ${w.notify ? 'status subscribers: the notice on the next scheduler run, a reminder 24 h before the start' : 'no one (add --notify to tell status subscribers)'}`,
    '  maintenance mode turns on at the start and off at the end (the scheduler of polaris start, or the cron tick)',
    `  cancel:     polaris maintenance cancel ${w.id} --yes`,
  ];
}

/** `polaris maintenance windows`: one row per window. */
export function windowsTable(windows: MaintenanceWindow[], all: boolean): string[] {
  if (windows.length === 0)
    return [all ? 'no maintenance windows recorded' : 'no maintenance windows scheduled'];
  const rows = windows.map((w) => [
    windowLabel(w.id),
    w.status,
    when(w.startsAt),
    when(w.endsAt),
    spanText(w.endsAt.getTime() - w.startsAt.getTime()),
    componentsOf(w),
    w.notify ? 'yes' : 'no',
    w.message,
  ]);
  return [table(['id', 'status', 'starts', 'ends', 'length', 'components', 'notify', 'message'], rows)];
}

/** What a cancel would do (without --yes), or did. */
export function cancelLines(outcome: CancelOutcome): string[] {
  const w = outcome.window;
  if (!outcome.confirmed) {
    const mode = w.status === 'in_progress' ? '; it is in progress: maintenance mode would turn off' : '';
    return [`would cancel ${windowLabel(w.id)} (${w.status}, ${span(w)})${mode}`];
  }
  return [
    `cancelled ${windowLabel(w.id)} (${span(w)})`,
    ...(outcome.flag ? [`  ${flagOutcomeText(outcome.flag)}`] : []),
    `  recorded in audit_log as ${w.cancelledBy}`,
  ];
}
