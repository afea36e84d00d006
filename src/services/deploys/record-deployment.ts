import { AppError, type Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { type DeploymentView, toDeploymentView } from './deployment-view.ts';

/** What this build is: package.json's version, the commit and platform URL when the host says. */
export type Build = { version: string; commit: string | null; deploymentUrl: string | null };

/**
 * Records one server start in `deployments`: the build, the migrations applied now (the set, and
 * the last by name as the schema version) and the host. Fails as a Result (the caller logs and
 * serves on) when the database cannot take it, for example before `0006_deployments` is applied.
 */
export async function recordDeployment({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, 'migrations' | 'repos'>;
  input: { build: Build; host: string };
}): Promise<Result<DeploymentView>> {
  try {
    const states = await ctx.migrations.status();
    const migrations = states.filter((s) => s.state === 'applied').map((s) => s.name);
    const row = await ctx.repos.deployments.record({
      version: input.build.version,
      commitSha: input.build.commit,
      deploymentUrl: input.build.deploymentUrl,
      schemaVersion: migrations.at(-1) ?? '0',
      migrations,
      host: input.host,
    });
    return { ok: true, value: toDeploymentView(row) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const code = error instanceof AppError ? error.code : 'migration_failed';
    return {
      ok: false,
      error: new AppError(code, `deployment not recorded (${reason}); polaris db status shows the schema`),
    };
  }
}
