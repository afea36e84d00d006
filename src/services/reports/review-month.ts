import { splitNote } from '../../domain/incident-notes.ts';
import { incidentLabel } from '../../domain/incidents.ts';
import {
  GAME_DAY_ACTION,
  type Month,
  parseMonth,
  type ReviewedIncident,
  reviewIncident,
} from '../../domain/monthly-review.ts';
import { checkFailed } from '../../domain/verify-checks.ts';
import type { ServiceContext } from '../context.ts';
import { verifyDatabase } from '../verify/verify-database.ts';

/** One item of the runbook's Monthly Review Items, and what the record says about it. */
export type ReviewItem = { item: string; status: 'ok' | 'attention' | 'manual'; detail: string };

/** The runbook's monthly review, from the record. */
export type MonthlyReview = {
  month: Month;
  ok: boolean;
  incidents: ReviewedIncident[];
  lessons: { incident: string; text: string }[];
  backupDrills: { id: string; backupId: string; ok: boolean; recoveryMs: number; startedAt: Date }[];
  gameDays: { at: Date; actor: string; ok: boolean; failed: string[] }[];
  rollbacks: { at: Date; actor: string; target: string }[];
  verify: { ok: boolean; failed: string[]; repairs: number };
  rollbackTest: { tested: boolean; detail: string };
  items: ReviewItem[];
};

async function incidentsOf(ctx: ServiceContext, month: Month) {
  const ids = await ctx.repos.reports.incidentIdsDetected(month);
  const out = [];
  for (const id of ids) {
    const incident = await ctx.repos.incidents.find(id);
    if (incident) out.push({ incident, timeline: await ctx.repos.incidents.timeline(id) });
  }
  return out;
}

/**
 * `polaris review monthly [--month YYYY-MM]`: the month's incidents with their response times,
 * backup drills and game days, a db verify run now and the month's repairs, and whether the
 * rollback path (a backup restored and compared) was tested; `ok` is false when verify fails or
 * nothing tested a restore this month.
 */
export async function reviewMonth({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { month?: string | undefined };
}): Promise<MonthlyReview> {
  const month = parseMonth(input.month, ctx.now());
  const records = await incidentsOf(ctx, month);
  const incidents = records.map((r) => reviewIncident(r.incident, ctx.policy, incidentLabel(r.incident.id)));
  const lessons = records.flatMap((r) =>
    r.timeline
      .filter((e) => e.kind === 'note')
      .map((e) => splitNote(e.message))
      .filter((n) => n.tag === 'lesson' || n.tag === 'prevention' || n.tag === 'follow-up')
      .map((n) => ({ incident: incidentLabel(r.incident.id), text: `${n.tag}: ${n.text}` })),
  );
  const drills = await ctx.repos.reports.drills(month);
  const gameDays = (await ctx.repos.reports.actions(month, [GAME_DAY_ACTION], 100)).map((row) => {
    const details = row.details as { ok?: boolean; failed?: string[] };
    return { at: row.at, actor: row.actor, ok: details.ok === true, failed: details.failed ?? [] };
  });
  const rollbacks = (await ctx.repos.reports.actions(month, ['db.rollback'], 100)).map((r) => ({
    at: r.at,
    actor: r.actor,
    target: r.target ?? '',
  }));
  const repairs = (await ctx.repos.reports.actionCounts(month, ['verify.'])).reduce((n, a) => n + a.count, 0);
  const verified = await verifyDatabase({ ctx });
  const verify = {
    ok: verified.ok,
    failed: verified.checks.filter((c) => c.severity === 'error' && checkFailed(c)).map((c) => c.name),
    repairs,
  };
  const passed = drills.filter((d) => d.ok);
  const last = passed.at(-1);
  const rollbackTest = last
    ? { tested: true, detail: `backup drill ${last.id} restored ${last.backup_id} and matched every table` }
    : {
        tested: false,
        detail:
          drills.length > 0
            ? `${drills.length} backup drill(s), none matched: polaris db drill`
            : 'no backup drill this month: polaris db drill',
      };
  const late = incidents.filter((i) => i.respondedInTime === false).map((i) => i.label);
  const items: ReviewItem[] = [
    {
      item: 'Review all incident reports from past month',
      status: incidents.length === 0 ? 'ok' : 'manual',
      detail:
        incidents.length === 0
          ? 'no incidents'
          : `${incidents.length} incident(s): polaris incident report <id> for each${late.length > 0 ? `; acknowledged late: ${late.join(', ')}` : ''}`,
    },
    {
      item: 'Update response procedures based on lessons learned',
      status: lessons.length === 0 ? 'ok' : 'manual',
      detail:
        lessons.length === 0
          ? 'no lessons recorded'
          : `${lessons.length} lesson/prevention/follow-up note(s)`,
    },
    {
      item: 'Test emergency contact information',
      status: ctx.policy.roster.length === 0 ? 'attention' : 'manual',
      detail:
        ctx.policy.roster.length === 0
          ? 'the policy has no roster: polaris policy show'
          : `${ctx.policy.roster.length} roster entries to call or message: polaris policy show`,
    },
    {
      item: 'Verify rollback procedures still work',
      status: rollbackTest.tested ? 'ok' : 'attention',
      detail: rollbackTest.detail,
    },
    { item: 'Update documentation as needed', status: 'manual', detail: 'RUNBOOK.md' },
  ];
  return {
    month,
    ok: verify.ok && rollbackTest.tested,
    incidents,
    lessons,
    backupDrills: drills.map((d) => ({
      id: d.id,
      backupId: d.backup_id,
      ok: d.ok,
      recoveryMs: d.recovery_ms,
      startedAt: d.started_at,
    })),
    gameDays,
    rollbacks,
    verify,
    rollbackTest,
    items,
  };
}
