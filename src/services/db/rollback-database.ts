import { AppError, type Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';

/** Rolls the schema back to `to` (the last migration to keep, "0" for none); destructive, so it needs confirmation. */
export async function rollbackDatabase({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, 'migrations' | 'log'>;
  input: { to: string; confirmed: boolean; actor: string };
}): Promise<Result<{ rolledBack: string[] }>> {
  if (!input.confirmed) {
    return {
      ok: false,
      error: new AppError(
        'bad_request',
        `rolling back to ${input.to} drops tables and their data; run again with --yes to confirm (take a backup first)`,
      ),
    };
  }
  const result = await ctx.migrations.rollback(input.to);
  if (result.ok)
    ctx.log.warn(
      { actor: input.actor, to: input.to, rolledBack: result.value.rolledBack },
      'migrations rolled back',
    );
  return result;
}
