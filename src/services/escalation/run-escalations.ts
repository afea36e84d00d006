import type { SentPage } from '../../adapters/db/scheduler-repo.ts';
import {
  cadenceKey,
  type DueEscalation,
  type DueReminder,
  dueEscalations,
  dueReminder,
  escalationKey,
} from '../../domain/escalation.ts';
import { type Incident, incidentLabel, type TimelineKind } from '../../domain/incidents.ts';
import type { NotificationRequest, Notify } from '../../domain/notifications.ts';
import type { ServiceContext } from '../context.ts';

/** The actor of the scheduler's pages and reminders in the timeline and audit_log. */
export const SCHEDULER_ACTOR = 'system:scheduler';

// Open incidents one pass looks at; more than this open at once is a bigger problem than paging.
const OPEN_LIMIT = 500;

/** What one pass sent. */
export type EscalationReport = {
  open: number;
  escalations: { incident: string; level: number; role: string }[];
  reminders: { incident: string; step: number }[];
};

type Page = {
  kind: SentPage['kind'];
  step: number;
  dueAt: Date;
  key: string;
  template: NotificationRequest['template'];
  /** The roster level the notification goes to. */
  level: number;
  vars: NotificationRequest['vars'];
  timeline: { kind: TimelineKind; message: string };
  audit: { action: string; details: Record<string, unknown> };
};

function incidentVars(incident: Incident) {
  return {
    incident: incidentLabel(incident.id),
    incidentId: incident.id,
    title: incident.title,
    severity: incident.severity,
    type: incident.type,
    status: incident.status,
    commander: incident.commander,
    components: incident.components.join(','),
    startedAt: incident.startedAt.toISOString(),
    detectedAt: incident.detectedAt.toISOString(),
  };
}

function escalationPage(ctx: ServiceContext, incident: Incident, due: DueEscalation): Page {
  const step = ctx.policy.escalation[due.level - 1];
  const why =
    due.dueAt.getTime() === incident.detectedAt.getTime()
      ? step?.immediatelyFor.includes(incident.severity) && step.after !== 'open'
        ? `at once for a ${incident.severity} incident`
        : 'when the incident opened'
      : `unresolved ${step?.after} after detection`;
  const key = escalationKey(incident.id, due.level);
  return {
    kind: 'escalation',
    step: due.level,
    dueAt: due.dueAt,
    key,
    template: 'incident-page',
    level: due.level,
    vars: { ...incidentVars(incident), level: due.level, role: due.role, reason: why },
    timeline: { kind: 'escalation', message: `Paged level ${due.level} (${due.role}) ${why}` },
    audit: {
      action: 'incident.escalate',
      details: { level: due.level, role: due.role, dueAt: due.dueAt, key },
    },
  };
}

function reminderPage(ctx: ServiceContext, incident: Incident, due: DueReminder, last: Date | null): Page {
  const cadence = ctx.policy.statusUpdateCadence[incident.severity];
  const role = ctx.policy.escalation[0]?.role ?? 'level 1';
  const key = cadenceKey(incident.id, due.step);
  return {
    kind: 'cadence',
    step: due.step,
    dueAt: due.dueAt,
    key,
    template: 'status-update-due',
    level: 1,
    vars: {
      ...incidentVars(incident),
      cadence,
      lastUpdateAt: last?.toISOString() ?? null,
      dueAt: due.dueAt.toISOString(),
      reminder: due.step,
    },
    timeline: {
      kind: 'notification',
      message: `Status update due: no public update for ${cadence} (${incident.severity} cadence); reminded level 1 (${role})`,
    },
    audit: { action: 'incident.remind', details: { step: due.step, cadence, dueAt: due.dueAt, key } },
  };
}

/**
 * Queues the notification, then records the page with its timeline entry and audit row. Queuing
 * first means a crash in between resends the same key, which the outbox drops; recording first
 * could lose the page. Returns false when another scheduler recorded it already.
 */
async function send(ctx: ServiceContext, notify: Notify, incident: Incident, page: Page, now: Date) {
  await notify({
    key: page.key,
    template: page.template,
    audience: { kind: 'roster', level: page.level },
    vars: page.vars,
    incidentId: incident.id,
  });
  return ctx.transaction(async (repos) => {
    const fresh = await repos.scheduler.recordPage({
      incidentId: incident.id,
      kind: page.kind,
      step: page.step,
      dueAt: page.dueAt,
      sentAt: now,
      notificationKey: page.key,
      actor: SCHEDULER_ACTOR,
    });
    if (!fresh) return false;
    await repos.incidents.addEntry(incident.id, { at: now, ...page.timeline, actor: SCHEDULER_ACTOR });
    await repos.audit.record({
      actor: SCHEDULER_ACTOR,
      action: page.audit.action,
      target: incidentLabel(incident.id),
      details: page.audit.details,
    });
    return true;
  });
}

/**
 * The scheduler's escalation job: pages each level of ctx.policy's ladder that is due for every
 * open incident, and reminds level 1 when an incident has had no public update within its
 * severity's cadence. Each page fires once per incident and step, whichever scheduler, tick or
 * leader runs it (incident_pages' key), with an `escalation` (or `notification`) timeline entry
 * and an audit row.
 */
export async function runEscalations({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { notify: Notify };
}): Promise<EscalationReport> {
  const now = ctx.now();
  const open = await ctx.repos.incidents.list({ open: true, limit: OPEN_LIMIT });
  const ids = open.map((incident) => incident.id);
  const pages = await ctx.repos.scheduler.pagesOf(ids);
  const lastPublic = await ctx.repos.scheduler.lastPublicUpdates(ids);
  const report: EscalationReport = { open: open.length, escalations: [], reminders: [] };
  for (const incident of open.reverse()) {
    const mine = pages.filter((p) => p.incidentId === incident.id);
    const paged = new Set(mine.filter((p) => p.kind === 'escalation').map((p) => p.step));
    for (const due of dueEscalations(incident, ctx.policy, now)) {
      if (paged.has(due.level)) continue;
      if (await send(ctx, input.notify, incident, escalationPage(ctx, incident, due), now)) {
        report.escalations.push({ incident: incidentLabel(incident.id), level: due.level, role: due.role });
        ctx.log.info({ incident: incident.id, level: due.level }, 'escalation page sent');
      }
    }
    const last = mine.filter((p) => p.kind === 'cadence').at(-1);
    const lastPublicUpdate = lastPublic.get(incident.id) ?? null;
    const seen = { lastPublicUpdate, lastReminder: last ? { step: last.step, dueAt: last.dueAt } : null };
    const due = dueReminder(incident, ctx.policy, seen, now);
    if (
      due &&
      (await send(ctx, input.notify, incident, reminderPage(ctx, incident, due, lastPublicUpdate), now))
    ) {
      report.reminders.push({ incident: incidentLabel(incident.id), step: due.step });
      ctx.log.info({ incident: incident.id, reminder: due.step }, 'status-update reminder sent');
    }
  }
  return report;
}
