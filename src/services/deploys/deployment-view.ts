import type { DeploymentRow } from '../../adapters/db/schema-deployments.ts';

/** One server start as `polaris deploys` and `rollback plan` show it. */
export type DeploymentView = {
  id: string;
  version: string;
  commit: string | null;
  deploymentUrl: string | null;
  /** The last migration applied at start, in name order ("0" for none). */
  schema: string;
  /** Every migration applied at start. */
  migrations: string[];
  host: string;
  startedAt: string;
};

/** Maps a ledger row to its public shape. */
export function toDeploymentView(row: DeploymentRow): DeploymentView {
  return {
    id: String(row.id),
    version: row.version,
    commit: row.commit_sha,
    deploymentUrl: row.deployment_url,
    schema: row.schema_version,
    migrations: row.migrations,
    host: row.host,
    startedAt: row.started_at.toISOString(),
  };
}
