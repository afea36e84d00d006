import type { Incident } from '../../domain/incidents.ts';
import type { ServiceContext } from '../context.ts';

const DEFAULT_LIMIT = 50;

/** `polaris incident list`: newest first, at most `limit`; `open` keeps the unresolved ones. */
export async function listIncidents({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { open?: boolean | undefined; limit?: number | undefined };
}): Promise<Incident[]> {
  return ctx.repos.incidents.list({ open: input.open === true, limit: input.limit ?? DEFAULT_LIMIT });
}
