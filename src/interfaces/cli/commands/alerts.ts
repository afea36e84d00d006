import type { Command } from 'commander';
import { incidentLabel } from '../../../domain/incidents.ts';
import { INCIDENT_ACTIONS } from '../../../services/alerts/apply-alert-verdict.ts';
import { type AlertsEvaluation, evaluateAlerts } from '../../../services/alerts/evaluate-alerts.ts';
import { type AlertRow, listAlerts } from '../../../services/alerts/list-alerts.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { table } from '../table.ts';

const when = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '');

function stateText(row: AlertRow): string {
  if (row.state === 'unknown') return row.firingNow ? 'firing now (not yet evaluated)' : 'not yet evaluated';
  return `${row.state} since ${when(row.since)}`;
}

/** What `--evaluate` changed: one line per incident opened, raised, repeated or resolved. */
export function evaluationLines(evaluation: AlertsEvaluation): string[] {
  if (evaluation.database === 'unreachable') return [`database unreachable: ${evaluation.error}`];
  const changed = evaluation.changes.filter((c) => INCIDENT_ACTIONS.includes(c.action));
  if (changed.length === 0) return ['evaluated: no incident opened, raised or resolved'];
  return changed.map((c) => `${c.action} ${c.incident ? incidentLabel(c.incident) : ''} (${c.key})`);
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
    .description('alert rules: thresholds, what each reads now, and the last evaluation')
    .option(
      '--evaluate',
      'evaluate the rules once first, as the scheduled job does (opens or resolves incidents)',
    )
    .action((options: { evaluate?: boolean }) =>
      runtime.withContext(async (ctx) => {
        const spool = runtime.alertSpool?.();
        const evaluation = options.evaluate ? await evaluateAlerts({ ctx, input: { spool } }) : undefined;
        const result = await listAlerts({ ctx, input: { spool } });
        emit(json(), { ...result, ...(evaluation ? { evaluation } : {}) }, () => [
          ...(evaluation ? evaluationLines(evaluation) : []),
          ...alertsLines(result),
        ]);
      }),
    );
}
