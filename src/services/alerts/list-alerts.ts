import {
  ALERT_RULES,
  type AlertRuleKey,
  type AlertSpool,
  RULE_INFO,
  thresholdOf,
} from '../../domain/alert-rules.ts';
import type { Severity } from '../../domain/incidents.ts';
import type { ServiceContext } from '../context.ts';
import { withTimeout } from '../health/check-readiness.ts';
import { PING_TIMEOUT_MS } from './evaluate-alerts.ts';
import { readAlertVerdicts } from './read-alert-values.ts';

/** One rule as `polaris alerts` shows it: thresholds, the value now, and the stored state. */
export type AlertRow = {
  rule: AlertRuleKey;
  severity: Severity;
  threshold: string;
  /** What the rule reads right now. */
  value: string;
  /** Would the rule fire now (null: could not be measured). */
  firingNow: boolean | null;
  /** The last evaluation's verdict: firing since, clear since, or never evaluated. */
  state: 'firing' | 'clear' | 'unknown';
  since: Date | null;
  evaluatedAt: Date | null;
  incident: string | null;
};

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Every rule with its threshold, the value it reads now and the last evaluation's state, read
 * only (evaluation is the scheduled job's). With the database unreachable, the database rule says
 * so (and since when, from the spool) and the others are unknown.
 */
export async function listAlerts({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { spool?: AlertSpool | undefined };
}): Promise<{ database: 'reachable' | 'unreachable'; rules: AlertRow[] }> {
  const a = ctx.policy.alerts;
  const outage = (await input.spool?.read()) ?? null;
  const base = (rule: AlertRuleKey): AlertRow => ({
    rule,
    severity: RULE_INFO[rule].severity,
    threshold: thresholdOf(rule, a),
    value: 'unknown (database unreachable)',
    firingNow: null,
    state: 'unknown',
    since: null,
    evaluatedAt: null,
    incident: null,
  });
  let pingError: string | null = null;
  try {
    await withTimeout(ctx.database.ping(), PING_TIMEOUT_MS);
  } catch (error) {
    pingError = error instanceof Error ? error.message : String(error);
  }
  if (pingError !== null) {
    return {
      database: 'unreachable',
      rules: ALERT_RULES.map((rule) =>
        rule === 'database-unreachable'
          ? {
              ...base(rule),
              value: `unreachable: ${pingError}${outage ? ` (spooled since ${iso(outage.since)}, ${outage.checks} checks)` : ''}`,
              firingNow: true,
              state: outage ? 'firing' : 'unknown',
              since: outage?.since ?? null,
            }
          : base(rule),
      ),
    };
  }
  const verdicts = new Map((await readAlertVerdicts(ctx)).map((v) => [v.key, v]));
  const states = new Map((await ctx.repos.alerts.states()).map((s) => [s.ruleKey, s]));
  const open = await ctx.repos.incidents.list({ open: true, limit: 200 });
  return {
    database: 'reachable',
    rules: ALERT_RULES.map((rule): AlertRow => {
      const verdict = verdicts.get(rule);
      const state = states.get(rule);
      return {
        ...base(rule),
        severity: verdict?.firing ? verdict.severity : RULE_INFO[rule].severity,
        value:
          verdict?.value ??
          (outage
            ? `answering; an outage from ${iso(outage.since)} is spooled, raised at the next evaluation`
            : 'answering'),
        firingNow: verdict ? verdict.firing : outage !== null,
        state: state ? (state.firing ? 'firing' : 'clear') : 'unknown',
        since: state ? (state.firing ? state.firingSince : state.clearSince) : null,
        evaluatedAt: state?.evaluatedAt ?? null,
        incident: open.find((i) => i.ruleKey === rule)?.id ?? null,
      };
    }),
  };
}
