import type { ServiceContext } from '../context.ts';
import { type DeploymentView, toDeploymentView } from './deployment-view.ts';

/** The latest recorded server starts, newest first. */
export async function listDeployments({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, 'repos'>;
  input: { limit: number };
}): Promise<DeploymentView[]> {
  const rows = await ctx.repos.deployments.list(input.limit);
  return rows.map(toDeploymentView);
}
