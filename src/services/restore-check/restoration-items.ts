import { FLAG_LABELS } from '../../domain/flags.ts';
import { getFlags } from '../flags/get-flags.ts';
import type { RestorationContext, RestoreItem } from './restoration-report.ts';

/** Pending webhook events older than this mean the backlog is not drained (the runbook's 5 minutes). */
export const MAX_PENDING_AGE_SECONDS = 300;
/** The payment failure rate window and its ceiling (the runbook's 5 % alert). */
export const FAILURE_WINDOW_SECONDS = 900;
export const MAX_FAILURE_RATE = 0.05;
/** How recent a passed smoke run must be. */
export const SMOKE_WITHIN_SECONDS = 3_600;

const pass = (name: string, detail: string): RestoreItem => ({ name, status: 'pass', detail });
const fail = (name: string, detail: string, fix: string): RestoreItem => ({
  name,
  status: 'fail',
  detail,
  fix,
});
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** GET /api/health and /api/health/ready on the served instance both answer 200. */
export async function healthItem({ http }: RestorationContext, url: string): Promise<RestoreItem> {
  const name = 'health and readiness';
  const fix = `start or restart the instance (npx polaris start), then curl ${url}api/health/ready for the failing check`;
  try {
    const live = await http({ method: 'GET', path: '/api/health' });
    if (live.status !== 200) return fail(name, `GET /api/health answered ${live.status}`, fix);
    const ready = await http({ method: 'GET', path: '/api/health/ready' });
    if (ready.status === 200) return pass(name, `${url}: alive and ready`);
    const checks = (
      JSON.parse(ready.text || '{}') as { checks?: Record<string, { ok: boolean; detail: string }> }
    ).checks;
    const failing = Object.entries(checks ?? {})
      .filter(([, c]) => !c.ok)
      .map(([n, c]) => `${n}: ${c.detail}`);
    return fail(
      name,
      `GET /api/health/ready answered ${ready.status}: ${failing.join('; ') || 'not ready'}`,
      fix,
    );
  } catch (error) {
    return fail(name, reason(error), fix);
  }
}

/** Payments on, maintenance and read-only off. */
export async function modesItem({ ctx }: RestorationContext): Promise<RestoreItem> {
  const name = 'payments on, no maintenance or read-only';
  const view = await getFlags({ ctx });
  const active = view.flags.filter((f) => f.active);
  if (active.length === 0) return pass(name, 'payments on, maintenance off, read-only off');
  const fixes = active.map((f) => {
    if (f.name === 'payments' && f.source === 'env')
      return 'unset PAYMENTS_ENABLED=false and restart the instances';
    if (f.name === 'payments') return 'npx polaris payments on --reason "…"';
    return `npx polaris ${f.name === 'read_only' ? 'readonly' : 'maintenance'} off --reason "…"`;
  });
  if (active.length === 3 && active.every((f) => f.source !== 'env'))
    fixes.splice(0, 3, 'npx polaris emergency lift --reason "…"');
  const names = active.map(
    (f) => `${FLAG_LABELS[f.name]} ${f.state}${f.source === 'env' ? ' (PAYMENTS_ENABLED=false)' : ''}`,
  );
  return fail(name, `active: ${names.join(', ')}`, fixes.join('; '));
}

/** No pending webhook event older than MAX_PENDING_AGE_SECONDS. */
export async function backlogItem({ ctx }: RestorationContext): Promise<RestoreItem> {
  const name = 'webhook backlog drained';
  const backlog = await ctx.repos.metrics.inboxBacklog();
  const oldest = Math.round(backlog.oldestPendingSeconds);
  const detail =
    backlog.pending === 0 ? '0 pending' : `${backlog.pending} pending, the oldest ${oldest} s old`;
  if (backlog.pending === 0 || oldest < MAX_PENDING_AGE_SECONDS) return pass(name, detail);
  return fail(
    name,
    `${detail} (limit ${MAX_PENDING_AGE_SECONDS / 60} min)`,
    'make sure a worker runs (npx polaris start or npx polaris worker) and read-only is off; then npx polaris webhooks list --status pending',
  );
}

/** Failed payments stay under MAX_FAILURE_RATE of the payments finished in the last 15 minutes. */
export async function failureRateItem({ ctx }: RestorationContext): Promise<RestoreItem> {
  const name = 'payment failure rate (15 min) under 5 %';
  const since = new Date(ctx.now().getTime() - FAILURE_WINDOW_SECONDS * 1000);
  const { captured, failed } = await ctx.repos.metrics.paymentOutcomes(since);
  const total = captured + failed;
  const rate = total === 0 ? 0 : failed / total;
  const detail = `${failed} failed of ${total} payments in 15 min (${(rate * 100).toFixed(1)} %)`;
  if (rate < MAX_FAILURE_RATE) return pass(name, detail);
  return fail(
    name,
    detail,
    'RUNBOOK.md "Payment failures over 5 %": npx polaris webhooks stats --since 15m, then npx polaris reconcile --since 1h',
  );
}

/** `db verify` finds nothing of severity error; ✗ while it is not wired into this command. */
export async function verifyItem({ ctx, seams }: RestorationContext): Promise<RestoreItem> {
  const name = 'db verify clean';
  if (!seams.verifyDatabase) {
    return fail(
      name,
      'db verify not available in this build',
      'run the runbook\'s consistency queries by hand (RUNBOOK.md "Run the runbook\'s SQL")',
    );
  }
  const outcome = await seams.verifyDatabase(ctx);
  if (outcome.ok) return pass(name, 'no check of severity error failed');
  return fail(
    name,
    'db verify found problems',
    'npx polaris db verify (to see them), then npx polaris db verify --fix for the safe repairs',
  );
}

/** The latest smoke run within SMOKE_WITHIN_SECONDS (by the database's clock) passed. */
export async function smokeItem({ ctx }: RestorationContext, url: string): Promise<RestoreItem> {
  const name = 'smoke run passed within the last hour';
  const fix = `npx polaris smoke --url ${url}`;
  const { lastPassed, last } = await ctx.repos.smokeRuns.latestWithin(SMOKE_WITHIN_SECONDS);
  if (!last) return fail(name, 'no smoke run recorded in the last hour', fix);
  // A failure after a pass means something broke since: the latest run decides.
  if (!last.ok) {
    const earlier = lastPassed ? `; run ${lastPassed.id} passed before it` : '';
    const at = last.finished_at.toISOString();
    return fail(
      name,
      `the last run (${last.id} against ${last.url}, ${at}) failed ${last.failed} step(s)${earlier}`,
      fix,
    );
  }
  const skipped = last.skipped > 0 ? ` (${last.skipped} step(s) skipped)` : '';
  return pass(
    name,
    `run ${last.id} against ${last.url} passed${skipped} at ${last.finished_at.toISOString()}`,
  );
}

/** No open Critical incident; shown as not built until incidents exist. */
export async function incidentsItem({ ctx, seams }: RestorationContext): Promise<RestoreItem> {
  const name = 'no open Critical incident';
  if (!seams.openCriticalIncidents) {
    return { name, status: 'skip', detail: 'incidents: not built (issue 11), nothing to check' };
  }
  const open = await seams.openCriticalIncidents(ctx);
  if (open.length === 0) return pass(name, 'none open');
  return fail(
    name,
    `${open.length} open: ${open.map((i) => `${i.id} ${i.title}`).join('; ')}`,
    `npx polaris incident show ${open[0]?.id}, then npx polaris incident resolve ${open[0]?.id} when it is over`,
  );
}
