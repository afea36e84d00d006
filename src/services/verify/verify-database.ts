import { type Check, verificationOk } from '../../domain/verify-checks.ts';
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
}: {
  ctx: Pick<ServiceContext, 'migrations' | 'transaction'>;
  input?: Record<string, never>;
}): Promise<VerifyReport> {
  const schema = await checkSchemaPromises(ctx);
  const data = await ctx.transaction(async (repos) => {
    if (!(await repos.verify.beginReadOnly())) throw new Error('the verify transaction is not read only');
    return runDataChecks(repos);
  });
  const checks = [schema, ...data];
  return { ok: verificationOk(checks), checks };
}
