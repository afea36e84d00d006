import type { ServiceContext } from '../context.ts';
import { type BlueprintView, toBlueprintView } from './blueprint-view.ts';

/** The caller's blueprints, newest first, one page at a time (content left out). */
export async function listBlueprints({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { userId: string; limit: number; offset: number };
}): Promise<{ items: BlueprintView[]; nextOffset: number | null }> {
  const rows = await ctx.repos.blueprints.listOwn(input.userId, {
    limit: input.limit + 1,
    offset: input.offset,
  });
  const items = rows.slice(0, input.limit).map((r) => toBlueprintView(r, false));
  return { items, nextOffset: rows.length > input.limit ? input.offset + input.limit : null };
}
