import { performance } from 'node:perf_hooks';
import { parseDuration } from '../../domain/flags.ts';
import type { IncidentReport } from '../../domain/incident-report.ts';
import type { ServiceContext } from '../context.ts';
import { setFlag } from '../flags/set-flag.ts';
import { ackIncident } from '../incidents/ack-incident.ts';
import { addIncidentNote } from '../incidents/add-note.ts';
import { listIncidents } from '../incidents/list-incidents.ts';
import { openIncident } from '../incidents/open-incident.ts';
import { resolveIncident } from '../incidents/resolve-incident.ts';
import { updateIncident } from '../incidents/update-incident.ts';
import { reconcileWithRazorpay } from '../reconcile/reconcile-with-razorpay.ts';
import { writeIncidentReport } from '../reports/write-incident-report.ts';
import { checkRestoration } from '../restore-check/check-restoration.ts';
import { recordSmokeRun } from '../smoke/record-smoke-run.ts';
import { runSmoke } from '../smoke/run-smoke.ts';
import {
  type DrillState,
  expectThat,
  must,
  ourStatuses,
  StepFailed,
  type StepResult,
  settle,
  subscribe,
} from './game-day-steps.ts';
import type { GameDayLab, GameDayOutcome, GameDaySeams, GameDayStep } from './game-day-types.ts';

const SUBSCRIBERS = 20;
const FAILING = 3; // 15 %: over the 10 % rule, with the 20 attempts it needs
const ACTOR = 'game-day';
const DAY = 86_400;

const notWired = (seam: string, part: string): StepResult => ({
  ok: false,
  detail: `NOT WIRED: ${seam} is not in this build yet (${part}); src/wiring/game-day.ts passes it`,
  notWired: seam,
});

const STEPS: { name: string; run: (s: DrillState) => Promise<StepResult> }[] = [
  {
    name: 'injected charge failures',
    async run(s) {
      await subscribe(s, SUBSCRIBERS);
      s.failing = s.subscriptions.slice(0, FAILING);
      for (const id of s.failing) s.lab.failNextCharges(id, 1);
      const first = must(await s.ctx.gateway.fetchSubscription(s.failing[0] as string), 'fetch');
      expectThat(first.charge_at !== null && first.charge_at !== undefined, 'no renewal is scheduled');
      s.lab.advanceClock(first.charge_at - Math.floor(s.ctx.now().getTime() / 1000) + 1);
      s.failedAt = new Date(first.charge_at * 1000);
      await settle(s);
      const statuses = await ourStatuses(s);
      expectThat(
        statuses.pending === FAILING,
        `expected ${FAILING} pending, saw ${JSON.stringify(statuses)}`,
      );
      return {
        ok: true,
        detail: `${SUBSCRIBERS} renewals, ${FAILING} declined: ${JSON.stringify(statuses)}`,
      };
    },
  },
  {
    name: 'the alert fires',
    async run(s) {
      if (!s.seams.evaluateAlerts) return notWired('evaluateAlerts', 'issue 11 §4, alerts');
      await s.seams.evaluateAlerts({ ctx: s.ctx });
      const opened = (await listIncidents({ ctx: s.ctx, input: { open: true } })).find((i) => i.ruleKey);
      expectThat(opened !== undefined, 'evaluateAlerts ran but opened no incident for the failure rate');
      s.incident = opened;
      return { ok: true, detail: `rule ${opened.ruleKey} opened INC-${opened.id} (${opened.severity})` };
    },
  },
  {
    name: 'the incident opens',
    async run(s) {
      if (!s.incident) {
        // Without the alert the on-call opens it by hand, as the runbook did before alerts existed.
        s.incident = await openIncident({
          ctx: s.ctx,
          input: {
            severity: 'high',
            type: 'payment.processing',
            title: 'Renewal charges declining (game day)',
            components: 'checkout',
            started: s.failedAt?.toISOString(),
            actor: ACTOR,
          },
        });
      }
      const i = s.incident;
      expectThat(
        i.status === 'investigating' && i.type.startsWith('payment'),
        `INC-${i.id} is ${i.status} ${i.type}`,
      );
      const how = i.ruleKey ? `by rule ${i.ruleKey}` : 'by hand (no alert fired)';
      return { ok: true, detail: `INC-${i.id} ${i.severity} ${i.type} opened ${how}` };
    },
  },
  {
    name: 'escalation and cadence reminders go out',
    async run(s) {
      const incident = s.incident as NonNullable<DrillState['incident']>;
      if (!s.seams.runEscalations) return notWired('runEscalations', 'issue 11 §3, scheduler/escalation');
      const notify = async (request: (typeof s.sent)[number]) => {
        const fresh = !s.sent.some((r) => r.key === request.key);
        if (fresh) s.sent.push(request);
        return { queued: fresh ? 1 : 0 };
      };
      await s.seams.runEscalations({ ctx: s.ctx, input: { notify } });
      const cadence = parseDuration(s.ctx.policy.statusUpdateCadence[incident.severity]) ?? 0;
      s.lab.advanceClock(Math.ceil(cadence / 1000) + 1);
      await s.seams.runEscalations({ ctx: s.ctx, input: { notify } });
      const mine = s.sent.filter((r) => r.incidentId === incident.id || r.key.includes(`:${incident.id}:`));
      const paged = mine.filter((r) => r.template === 'incident-page');
      const reminded = mine.filter((r) => r.template === 'status-update-due');
      expectThat(paged.length > 0, 'no page (incident-page) was sent for the incident');
      expectThat(reminded.length > 0, 'no status-update-due reminder after the cadence passed');
      return { ok: true, detail: `${paged.length} page(s), ${reminded.length} cadence reminder(s)` };
    },
  },
  {
    name: 'payments off',
    async run(s) {
      const id = (s.incident as NonNullable<DrillState['incident']>).id;
      if (!(s.incident as { acknowledgedAt: Date | null }).acknowledgedAt) {
        await ackIncident({ ctx: s.ctx, input: { id, actor: ACTOR } });
      }
      await setFlag({
        ctx: s.ctx,
        input: { name: 'payments', state: 'off', reason: `INC-${id} game day`, actor: ACTOR },
      });
      await updateIncident({
        ctx: s.ctx,
        input: {
          id,
          status: 'identified',
          message: 'Renewals are declining; payments paused',
          public: true,
          actor: ACTOR,
        },
      });
      const flag = (await s.ctx.flags.stored()).find((f) => f.name === 'payments');
      expectThat(flag?.state === 'off', `payments flag is ${flag?.state}`);
      const refused = await s.lab.probe({ method: 'GET', path: '/api/health/ready' });
      return {
        ok: true,
        detail: `acknowledged; payments off (flag ${flag.state}); ready answers ${refused.status}`,
      };
    },
  },
  {
    name: 'recovery',
    async run(s) {
      for (let day = 0; day < 10; day++) {
        const statuses = await ourStatuses(s);
        if (statuses.active === SUBSCRIBERS) break;
        s.lab.advanceClock(DAY);
        await settle(s);
      }
      const statuses = await ourStatuses(s);
      expectThat(
        statuses.active === SUBSCRIBERS,
        `not every subscription recovered: ${JSON.stringify(statuses)}`,
      );
      const id = (s.incident as NonNullable<DrillState['incident']>).id;
      await setFlag({
        ctx: s.ctx,
        input: { name: 'payments', state: 'on', reason: `INC-${id} recovered`, actor: ACTOR },
      });
      await updateIncident({
        ctx: s.ctx,
        input: {
          id,
          status: 'monitoring',
          message: 'Retried charges succeed; payments back on',
          public: true,
          actor: ACTOR,
        },
      });
      // The retried charges are older than restore-check's 15-minute window by now only if time moves on.
      s.lab.advanceClock(16 * 60);
      return { ok: true, detail: `the retried charges succeeded: ${SUBSCRIBERS} active; payments on` };
    },
  },
  {
    name: 'reconcile',
    async run(s) {
      const report = await reconcileWithRazorpay({ ctx: s.ctx, input: { since: '60d', apply: true } });
      expectThat(report.failure === null, `reconcile stopped: ${report.failure}`);
      expectThat(report.checked >= SUBSCRIBERS, `checked only ${report.checked} subscriptions`);
      const left = report.drift.filter((d) => d.outcome !== 'applied');
      expectThat(left.length === 0, `drift left: ${JSON.stringify(left.slice(0, 3))}`);
      return {
        ok: true,
        detail: `${report.checked} checked, ${report.drift.length} drift, ${report.repaired} repaired`,
      };
    },
  },
  {
    name: 'the restoration checklist (restore-check)',
    async run(s) {
      const smoke = await runSmoke({
        ctx: s.lab.smoke,
        input: { url: s.lab.url, full: false, account: undefined, purchase: undefined },
      });
      await recordSmokeRun({ ctx: s.ctx, input: smoke });
      const checklist = await checkRestoration({
        ctx: { ctx: s.ctx, http: s.lab.probe, seams: s.lab.restorationSeams },
        input: { url: s.lab.url },
      });
      const failed = checklist.items.filter((i) => i.status === 'fail');
      expectThat(checklist.ok, `✗ ${failed.map((i) => `${i.name}: ${i.detail}`).join('; ')}`);
      return {
        ok: true,
        detail: `${checklist.items.filter((i) => i.status === 'pass').length}/${checklist.items.length} items ✓`,
      };
    },
  },
  {
    name: 'resolve',
    async run(s) {
      const id = (s.incident as NonNullable<DrillState['incident']>).id;
      await addIncidentNote({
        ctx: s.ctx,
        input: {
          id,
          tag: 'root-cause',
          message: `${FAILING} cards declined at renewal (injected)`,
          actor: ACTOR,
        },
      });
      await addIncidentNote({
        ctx: s.ctx,
        input: { id, tag: 'lesson', message: 'the game day ran end to end', actor: ACTOR },
      });
      const resolved = await resolveIncident({
        ctx: s.ctx,
        input: { id, message: 'All renewals paid; checklist clean', public: true, actor: ACTOR },
      });
      s.incident = resolved.incident;
      return { ok: true, detail: `INC-${id} resolved at ${resolved.incident.resolvedAt?.toISOString()}` };
    },
  },
];

/** Step 10: the report, checked against what the drill injected. */
async function reportStep(s: DrillState): Promise<StepResult & { report?: IncidentReport }> {
  const id = (s.incident as NonNullable<DrillState['incident']>).id;
  const report = await writeIncidentReport({ ctx: s.ctx, input: { id } });
  const f = report.figures;
  expectThat(
    f.failedPayments.count === FAILING,
    `report counts ${f.failedPayments.count} failed payments, not ${FAILING}`,
  );
  expectThat(f.usersAffected >= FAILING, `report counts ${f.usersAffected} users affected`);
  expectThat(!f.dataLoss.lost, `report says data was lost: ${JSON.stringify(f.dataLoss)}`);
  expectThat(report.durations.tta !== null && report.durations.ttr !== null, 'TTA or TTR missing');
  return {
    ok: true,
    detail: `${f.usersAffected} users, ${f.failedPayments.count} failed payments, no data loss`,
    report,
  };
}

/**
 * `polaris drill incident`: the runbook's quarterly game day, run on the scratch world `lab`
 * (a scratch database behind `ctx`, an in-process emulator on a fake clock). Every step runs for
 * real; a seam other parts provide and this build lacks fails its step, saying so.
 */
export async function runGameDay({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { lab: GameDayLab; seams: GameDaySeams; onStep?: (step: GameDayStep) => void };
}): Promise<GameDayOutcome> {
  const startedAt = new Date();
  const from = ctx.now();
  const s: DrillState = {
    ctx,
    lab: input.lab,
    seams: input.seams,
    sent: [],
    subscriptions: [],
    failing: [],
    failedAt: null,
    incident: null,
  };
  const steps: GameDayStep[] = [];
  let report: IncidentReport | null = null;
  const all = [...STEPS, { name: 'the report', run: reportStep }];
  for (const [i, step] of all.entries()) {
    const begun = performance.now();
    let result: StepResult & { report?: IncidentReport };
    if (i > 2 && !s.incident) result = { ok: false, detail: 'skipped: no incident is open' };
    else {
      try {
        result = await step.run(s);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result = { ok: false, detail: error instanceof StepFailed ? message : `error: ${message}` };
      }
    }
    if (result.report) report = result.report;
    const done: GameDayStep = {
      n: i + 1,
      name: step.name,
      status: result.ok ? 'pass' : 'fail',
      detail: result.detail,
      ...(result.notWired ? { notWired: result.notWired } : {}),
      ms: Math.round(performance.now() - begun),
    };
    steps.push(done);
    input.onStep?.(done);
  }
  return {
    ok: steps.every((st) => st.status === 'pass'),
    steps,
    incidentId: s.incident?.id ?? null,
    notifications: s.sent,
    report,
    startedAt,
    fakeClock: { from, to: ctx.now() },
  };
}
