import type { Command } from 'commander';
import { incidentLabel } from '../../../domain/incidents.ts';
import { type AlertRow, listAlerts } from '../../../services/alerts/list-alerts.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { table } from '../table.ts';

const when = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '');

function stateText(row: AlertRow): string {
  if (row.state === 'unknown') return row.firingNow ? 'firing now (not yet evaluated)' : 'not yet evaluated';
  return `${row.state} since ${when(row.since)}`;
}

/** `polaris alerts`: one row per rule. */
export function alertsLines(result: { database: string; rules: AlertRow[] }): string[] {
  const rows = result.rules.map((r) => [
    r.rule,
    r.severity,
    r.threshold,
    r.value,
    r.firingNow === null ? '?' : r.firingNow ? 'FIRING' : 'ok',
    stateText(r),
    r.incident ? incidentLabel(r.incident) : '',
  ]);
  const firing = result.rules.filter((r) => r.firingNow).length;
  return [
    table(['rule', 'severity', 'threshold', 'now', 'verdict', 'last evaluation', 'incident'], rows),
    `${firing} of ${result.rules.length} rules firing now; thresholds from the policy's alerts section (polaris policy show)`,
  ];
}

/** `polaris alerts` (issue 11 §4): the rules, their thresholds, current values and state. */
export function registerAlertsCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  program
    .command('alerts')
    .description('alert rules: thresholds, what each reads now, and the last evaluation (read only)')
    .action(() =>
      runtime.withContext(async (ctx) => {
        const result = await listAlerts({ ctx, input: { spool: runtime.alertSpool?.() } });
        emit(json(), result, () => alertsLines(result));
      }),
    );
}
