import type { Result } from '../../domain/errors.ts';
import { PLANS } from '../../domain/plans.ts';
import type { ServiceContext } from '../context.ts';
import { checkSchema, describeDrift, type SchemaCheck } from './check-schema.ts';

/**
 * Applies pending migrations (recorded in audit_log as `actor`), writes the plan catalog the quota
 * functions read, then compares the schema with what it must be: applying nothing is not "up to
 * date" when objects are missing.
 */
export async function migrateDatabase({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, 'migrations' | 'planCatalog' | 'log'>;
  input: { actor: string };
}): Promise<Result<{ applied: string[]; plans: number; schema: SchemaCheck }>> {
  const result = await ctx.migrations.migrate({ actor: input.actor });
  if (!result.ok) return result;
  const { applied } = result.value;
  if (applied.length > 0) ctx.log.info({ applied, actor: input.actor }, 'migrations applied');
  const schema = await checkSchema({ ctx });
  if (!schema.ok) ctx.log.warn({ drift: describeDrift(schema) }, 'schema drift after migrate');
  const plans = schema.missing.includes('table plan_catalog') ? 0 : await ctx.planCatalog.sync(PLANS);
  return { ok: true, value: { applied, plans, schema } };
}
