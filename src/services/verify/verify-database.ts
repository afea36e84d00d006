import { type Check, checkFailed, verificationOk } from '../../domain/verify-checks.ts';
import type { ServiceContext } from '../context.ts';
import { checkSchemaPromises, runDataChecks } from './run-checks.ts';

/** The outcome of `db verify`: every check, and whether none of severity error failed. */
export type VerifyReport = { ok: boolean; checks: Check[] };

/**
 * Checks the database for real without writing anything: the schema the migrations promise,
 * then every data check in one READ ONLY transaction, so all of them see the same snapshot.
 */
export async function verifyDatabase({
  ctx,
  input = {},
}: {
  ctx: Pick<ServiceContext, 'migrations' | 'transaction'> & Partial<Pick<ServiceContext, 'repos' | 'log'>>;
  /** Who ran it: an operator's run is kept as a `verify.run` audit row (the admin overview's "last verify"). */
  input?: { actor?: string };
}): Promise<VerifyReport> {
  const schema = await checkSchemaPromises(ctx);
  const data = await ctx.transaction(async (repos) => {
    if (!(await repos.verify.beginReadOnly())) throw new Error('the verify transaction is not read only');
    return runDataChecks(repos);
  });
  const checks = [schema, ...data];
  const report = { ok: verificationOk(checks), checks };
  if (input.actor && ctx.repos)
    await recordRun(ctx as Pick<ServiceContext, 'repos' | 'log'>, input.actor, report);
  return report;
}

/** Keeps an operator's verify in the audit log; a verify's answer stands even when that write fails. */
async function recordRun(ctx: Pick<ServiceContext, 'repos' | 'log'>, actor: string, report: VerifyReport) {
  const failed = report.checks.filter(checkFailed).map((c) => c.name);
  try {
    await ctx.repos.audit.record({
      actor,
      action: 'verify.run',
      target: 'database',
      details: { ok: report.ok, checks: report.checks.length, failed },
    });
  } catch (error) {
    ctx.log?.warn({ err: error }, 'db verify ran but its audit row could not be written');
  }
}
