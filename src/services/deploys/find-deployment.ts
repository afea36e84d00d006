import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { type DeploymentView, toDeploymentView } from './deployment-view.ts';

const COMMIT = /^[0-9a-f]{7,40}$/i;

/**
 * The latest recorded start of a commit (7 to 40 hex digits, a prefix is enough) or a version
 * (`0.1.0` or `v0.1.0`). Throws AppError not_found naming where to look, or bad_request when a
 * prefix matches several commits.
 */
export async function findDeployment({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, 'repos'>;
  input: { target: string };
}): Promise<DeploymentView> {
  const target = input.target.trim();
  if (COMMIT.test(target)) {
    const rows = await ctx.repos.deployments.findByCommitPrefix(target.toLowerCase());
    const commits = [...new Set(rows.map((r) => r.commit_sha))];
    if (commits.length > 1) {
      throw new AppError(
        'bad_request',
        `"${target}" matches commits ${commits.join(', ')}; give more digits`,
      );
    }
    if (rows[0]) return toDeploymentView(rows[0]);
  }
  const version = target.replace(/^v(?=\d)/, '');
  const rows = await ctx.repos.deployments.findByVersion(version);
  if (rows[0]) return toDeploymentView(rows[0]);
  throw new AppError(
    'not_found',
    `no deployment recorded for "${target}" (a commit or a version); polaris deploys lists the recorded ones`,
  );
}
