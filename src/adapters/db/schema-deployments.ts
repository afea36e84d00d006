import type { ColumnType, Generated, Selectable } from 'kysely';

/** The deployment ledger (migrations/0006_deployments). */
export interface DeploymentsTable {
  id: ColumnType<string, never, never>;
  version: string;
  commit_sha: string | null;
  deployment_url: string | null;
  schema_version: string;
  /** text[]: every migration applied when the instance started, in name order. */
  migrations: string[];
  host: string;
  started_at: Generated<Date>;
}

/** The tables of migrations/0006_deployments; the Database interface extends this. */
export interface DeploymentTables {
  deployments: DeploymentsTable;
}

/** One recorded server start. */
export type DeploymentRow = Selectable<DeploymentsTable>;
