import type { MigrationState } from '../../adapters/db/migrator.ts';
import type { ServiceContext } from '../context.ts';
import { checkSchema, type SchemaCheck } from './check-schema.ts';

/**
 * Each migration with its state, the schema compared with what the last applied one must leave,
 * and whether both are current (nothing pending, edited, missing or drifted).
 */
export async function getMigrationStatus({
  ctx,
}: {
  ctx: Pick<ServiceContext, 'migrations'>;
}): Promise<{ current: boolean; migrations: MigrationState[]; schema: SchemaCheck }> {
  const migrations = await ctx.migrations.status();
  const schema = await checkSchema({ ctx });
  return { current: schema.ok && migrations.every((m) => m.state === 'applied'), migrations, schema };
}
