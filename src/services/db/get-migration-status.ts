import type { MigrationState } from '../../adapters/db/migrator.ts';
import type { ServiceContext } from '../context.ts';

/** Each migration with its state, and whether the schema is current (nothing pending, edited or missing). */
export async function getMigrationStatus({
  ctx,
}: {
  ctx: Pick<ServiceContext, 'migrations'>;
}): Promise<{ current: boolean; migrations: MigrationState[] }> {
  const migrations = await ctx.migrations.status();
  return { current: migrations.every((m) => m.state === 'applied'), migrations };
}
