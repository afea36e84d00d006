import type { Ctx } from './context.ts';
import { cancelNow } from './subscription-actions.ts';
import { metaOf, runDueCharge } from './subscription-billing.ts';
import { applyScheduledChange } from './subscription-update.ts';
import type { Subscription } from './types.ts';

type Job = { at: number; kind: 'expire' | 'cancel' | 'change' | 'charge'; sub: Subscription };

// Same-time jobs run in this order: a cycle-end cancel wins over the renewal it would prevent.
const KIND_ORDER = { expire: 0, cancel: 1, change: 2, charge: 3 } as const;

function jobsOf(ctx: Ctx, sub: Subscription): Job[] {
  const meta = metaOf(ctx, sub.id);
  const jobs: Job[] = [];
  const add = (at: number | null | undefined, kind: Job['kind']) => {
    if (typeof at === 'number') jobs.push({ at, kind, sub });
  };
  switch (sub.status) {
    case 'created': {
      const deadlines = [sub.expire_by, sub.start_at].filter((t): t is number => typeof t === 'number');
      if (deadlines.length) add(Math.min(...deadlines), 'expire');
      break;
    }
    case 'authenticated':
      add(sub.charge_at, 'charge');
      break;
    case 'active':
    case 'pending':
    case 'halted':
      if (meta.cancelAtCycleEnd) add(sub.current_end, 'cancel');
      if (meta.scheduledChange) add(sub.change_scheduled_at, 'change');
      add(sub.charge_at, 'charge');
      break;
    default:
      break;
  }
  return jobs;
}

/** The earliest job due at or before `until`, if any. */
function nextJob(ctx: Ctx, until: number): Job | null {
  let best: Job | null = null;
  for (const sub of ctx.state.subscriptions.values()) {
    for (const job of jobsOf(ctx, sub)) {
      if (job.at > until) continue;
      if (!best || job.at < best.at || (job.at === best.at && KIND_ORDER[job.kind] < KIND_ORDER[best.kind])) {
        best = job;
      }
    }
  }
  return best;
}

function run(ctx: Ctx, job: Job): void {
  const { sub } = job;
  if (job.kind === 'expire') {
    sub.status = 'expired';
    sub.ended_at = job.at;
    sub.charge_at = null;
    ctx.changed();
  } else if (job.kind === 'cancel') cancelNow(ctx, sub, job.at);
  else if (job.kind === 'change') applyScheduledChange(ctx, sub);
  else runDueCharge(ctx, sub);
}

/**
 * Moves the clock to `target`, stopping at each due job in time order so that every charge,
 * retry, expiry and cycle-end cancel happens at its own moment. Returns how many jobs ran.
 */
export function advanceTo(ctx: Ctx, target: number, maxJobs = 100_000): number {
  let ran = 0;
  for (let job = nextJob(ctx, target); job && ran < maxJobs; job = nextJob(ctx, target)) {
    ctx.clock.set(job.at);
    run(ctx, job);
    ran += 1;
  }
  ctx.clock.set(target);
  return ran;
}
