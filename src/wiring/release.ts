import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Logger } from '../adapters/logger.ts';
import type { Config } from '../config.ts';
import type { ReleaseInfo } from '../interfaces/http/routes/health.ts';
import type { ServiceContext } from '../services/context.ts';
import { type Build, recordDeployment } from '../services/deploys/record-deployment.ts';

const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/** This build: package.json's version, and the commit and deployment URL the configuration names. */
export function currentBuild(config: Config): Build {
  const { version } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string };
  return {
    version,
    commit: config.release.commit ?? null,
    deploymentUrl: config.release.deploymentUrl ?? null,
  };
}

/**
 * Records this start in `deployments` and returns what /api/health reports from then on. A start
 * the ledger cannot take (its migration not applied yet) is logged and serves on.
 */
export async function recordStart(ctx: ServiceContext, build: Build, log: Logger): Promise<ReleaseInfo> {
  const recorded = await recordDeployment({ ctx, input: { build, host: hostname() } });
  if (!recorded.ok) {
    log.warn({ err: recorded.error }, recorded.error.message);
    return { version: build.version, commit: build.commit, schema: null };
  }
  const { version, commit, schema, id } = recorded.value;
  log.info({ deployment: id, version, commit, schema }, 'deployment recorded');
  return { version, commit, schema };
}
