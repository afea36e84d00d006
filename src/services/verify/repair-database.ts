import type { AuditEntry } from '../../adapters/db/audit-repo.ts';
import type { Repos } from '../../adapters/db/repos.ts';
import { type Check, verificationOk } from '../../domain/verify-checks.ts';
import type { ServiceContext } from '../context.ts';
import { checkSchemaPromises, runDataChecks } from './run-checks.ts';
import type { VerifyReport } from './verify-database.ts';

/** How many rows each safe repair changed. */
export type RepairCounts = { tiers: number; events: number; counters: number };

/** `db verify --fix`: the checks before and after, and what was repaired. */
export type RepairReport = VerifyReport & { before: Check[]; repaired: RepairCounts };

const AUDIT_BATCH = 500;

/**
 * Makes the safe repairs in one transaction, each with an audit row: tiers re-derived from the
 * subscriptions by the database's own sync trigger, events stuck in processing released to
 * pending, usage counters recounted. Everything else is left for a person and reported.
 */
export async function repairDatabase({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, 'migrations' | 'transaction'>;
  input: { actor: string };
}): Promise<RepairReport> {
  const schema = await checkSchemaPromises(ctx);
  const outcome = await ctx.transaction(async (repos) => {
    const before = await runDataChecks(repos);
    if (before.some((c) => c.skipped !== undefined)) {
      return { before, after: before, repaired: { tiers: 0, events: 0, counters: 0 } };
    }
    const entries: AuditEntry[] = [];
    const repaired = {
      tiers: await repairTiers(repos, input.actor, entries),
      events: await releaseEvents(repos, input.actor, entries),
      counters: await recountUsage(repos, input.actor, entries),
    };
    for (let i = 0; i < entries.length; i += AUDIT_BATCH) {
      await repos.audit.record(...entries.slice(i, i + AUDIT_BATCH));
    }
    return { before, after: await runDataChecks(repos), repaired };
  });
  const checks = [schema, ...outcome.after];
  return {
    ok: verificationOk(checks),
    checks,
    before: [schema, ...outcome.before],
    repaired: outcome.repaired,
  };
}

async function repairTiers(repos: Repos, actor: string, audit: AuditEntry[]): Promise<number> {
  const targets = await repos.verify.tierTargets();
  await repos.verify.rederiveTiers([...new Set(targets.map((t) => t.subscriptionId))]);
  const now = await repos.verify.tiersOf(targets.map((t) => t.userId));
  for (const t of targets) {
    audit.push({
      actor,
      action: 'verify.rederive_tier',
      target: t.userId,
      details: { subscription_id: t.subscriptionId, from: t.tier, to: now.get(t.userId) ?? null },
    });
  }
  return targets.length;
}

async function releaseEvents(repos: Repos, actor: string, audit: AuditEntry[]): Promise<number> {
  const released = await repos.verify.releaseStuckEvents();
  for (const e of released) {
    audit.push({
      actor,
      action: 'verify.release_event',
      target: e.eventId,
      details: { attempts: e.attempts },
    });
  }
  return released.length;
}

async function recountUsage(repos: Repos, actor: string, audit: AuditEntry[]): Promise<number> {
  const recounted = await repos.verify.recountUsage();
  for (const r of recounted) {
    audit.push({
      actor,
      action: 'verify.recount_usage',
      target: r.userId,
      details: { created: { from: r.created, to: r.createdNow }, saved: { from: r.saved, to: r.savedNow } },
    });
  }
  return recounted.length;
}
