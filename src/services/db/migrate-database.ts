import type { Result } from '../../domain/errors.ts';
import { PLANS } from '../../domain/plans.ts';
import type { ServiceContext } from '../context.ts';

/** Applies pending migrations, then writes the plan catalog the quota functions read. */
export async function migrateDatabase({
  ctx,
}: {
  ctx: Pick<ServiceContext, 'migrations' | 'planCatalog' | 'log'>;
}): Promise<Result<{ applied: string[]; plans: number }>> {
  const result = await ctx.migrations.migrate();
  if (!result.ok) return result;
  const plans = await ctx.planCatalog.sync(PLANS);
  if (result.value.applied.length > 0) ctx.log.info({ applied: result.value.applied }, 'migrations applied');
  return { ok: true, value: { applied: result.value.applied, plans } };
}
