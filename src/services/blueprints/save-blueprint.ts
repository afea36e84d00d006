import type { ServiceContext } from '../context.ts';
import { type BlueprintView, toBlueprintView } from './blueprint-view.ts';
import { blueprintNotFound } from './get-blueprint.ts';

/**
 * Marks one of the caller's blueprints saved and counts the save, once per blueprint: the flag
 * and the counter change in one transaction, and saving again counts nothing.
 */
export async function saveBlueprint({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { userId: string; id: string };
}): Promise<BlueprintView & { counted: boolean }> {
  return ctx.transaction(async (repos) => {
    const saved = await repos.blueprints.markSaved(input.userId, input.id);
    if (saved) {
      await repos.blueprints.countSave(input.userId);
      return { ...toBlueprintView(saved, false), counted: true };
    }
    const existing = await repos.blueprints.findOwn(input.userId, input.id);
    if (!existing) throw blueprintNotFound();
    return { ...toBlueprintView(existing, false), counted: false };
  });
}
