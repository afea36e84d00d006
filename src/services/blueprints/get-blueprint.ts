import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { type BlueprintView, toBlueprintView } from './blueprint-view.ts';

/** One of the caller's blueprints; someone else's id answers exactly like a missing one. */
export async function getBlueprint({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { userId: string; id: string };
}): Promise<BlueprintView> {
  const row = await ctx.repos.blueprints.findOwn(input.userId, input.id);
  if (!row) throw blueprintNotFound();
  return toBlueprintView(row);
}

/** The one answer for a blueprint that is missing, deleted or someone else's. */
export const blueprintNotFound = () => new AppError('not_found', 'no such blueprint');
