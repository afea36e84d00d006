import type { ServiceContext } from '../context.ts';
import { blueprintNotFound } from './get-blueprint.ts';

/** Deletes one of the caller's blueprints (soft; the creation it used stays counted). */
export async function deleteBlueprint({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { userId: string; id: string };
}): Promise<{ id: string; deleted: true }> {
  const row = await ctx.repos.blueprints.softDelete(input.userId, input.id);
  if (!row) throw blueprintNotFound();
  return { id: row.id, deleted: true };
}
