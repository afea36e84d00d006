import { type AlertSpool, type DatabaseOutage, durationMs, thresholdOf } from '../../domain/alert-rules.ts';
import type { ServiceContext } from '../context.ts';
import { withTimeout } from '../health/check-readiness.ts';
import {
  type AlertChange,
  applyAlertVerdict,
  INCIDENT_ACTIONS,
  type VerdictToApply,
} from './apply-alert-verdict.ts';
import { readAlertVerdicts } from './read-alert-values.ts';

/** How long a ping may take before the database counts as unreachable. */
export const PING_TIMEOUT_MS = 3_000;

/** What one evaluation did: every rule's change, or the outage it spooled. */
export type AlertsEvaluation =
  | { database: 'reachable'; changes: AlertChange[]; raised: DatabaseOutage | null }
  | { database: 'unreachable'; spooled: DatabaseOutage | null; error: string };

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The database-unreachable verdicts for an outage a process spooled and the database answering now. */
function outageVerdicts(ctx: ServiceContext, outage: DatabaseOutage): VerdictToApply[] {
  const base = {
    key: 'database-unreachable' as const,
    severity: 'critical' as const,
    threshold: thresholdOf('database-unreachable', ctx.policy.alerts),
  };
  const seen = `${outage.instance} could not reach the database from ${iso(outage.since)} to ${iso(outage.lastAt)} (${outage.checks} failed checks; last error: ${outage.error})`;
  return [
    { ...base, firing: true, startedAt: outage.since, value: 'unreachable (spooled)', detail: seen },
    { ...base, firing: false, value: `answering again at ${iso(ctx.now())}`, detail: 'the database answers' },
  ];
}

/**
 * The alert rules' scheduled job: pings the database; unreachable, it spools the outage (when given
 * a spool) and changes nothing else; reachable, it raises any spooled outage with its start time,
 * then applies every rule's verdict, each in its own transaction. Never throws for an unreachable
 * database; another database failure mid-way is thrown for the tick to report.
 */
export async function evaluateAlerts({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { spool?: AlertSpool | undefined };
}): Promise<AlertsEvaluation> {
  const now = ctx.now();
  try {
    await withTimeout(ctx.database.ping(), PING_TIMEOUT_MS);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const spooled = input.spool ? await input.spool.record(now, reason) : null;
    ctx.log.error(
      { alert: 'database-unreachable', since: spooled?.since, checks: spooled?.checks },
      'alerts: the database does not answer; the alert is spooled until it does',
    );
    return { database: 'unreachable', spooled, error: reason };
  }
  const clearFor = durationMs(ctx.policy.alerts.clearFor);
  const changes: AlertChange[] = [];
  const outage = (await input.spool?.read()) ?? null;
  const database: VerdictToApply[] = outage
    ? outageVerdicts(ctx, outage)
    : [
        {
          key: 'database-unreachable',
          firing: false,
          severity: 'critical',
          value: 'answering',
          detail: '',
          threshold: '',
        },
      ];
  for (const verdict of database) {
    changes.push(await ctx.transaction((repos) => applyAlertVerdict(repos, verdict, now, clearFor)));
  }
  if (outage) await input.spool?.clear();
  for (const verdict of await readAlertVerdicts(ctx)) {
    changes.push(await ctx.transaction((repos) => applyAlertVerdict(repos, verdict, now, clearFor)));
  }
  for (const change of changes) {
    if (INCIDENT_ACTIONS.includes(change.action)) {
      ctx.log.warn(
        { alert: change.key, action: change.action, incident: change.incident },
        `alert ${change.action}`,
      );
    }
  }
  return { database: 'reachable', changes, raised: outage };
}
