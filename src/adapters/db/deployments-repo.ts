import type { Executor } from './executor.ts';
import type { DeploymentRow } from './schema-deployments.ts';

/** A server start to record; started_at is the database's clock. */
export type NewDeployment = {
  version: string;
  commitSha: string | null;
  deploymentUrl: string | null;
  schemaVersion: string;
  migrations: string[];
  host: string;
};

/** The deployment ledger's queries. */
export function createDeploymentsRepo(db: Executor) {
  return {
    /** Appends one row and returns it as stored. */
    async record(deployment: NewDeployment): Promise<DeploymentRow> {
      return db
        .insertInto('deployments')
        .values({
          version: deployment.version,
          commit_sha: deployment.commitSha,
          deployment_url: deployment.deploymentUrl,
          schema_version: deployment.schemaVersion,
          migrations: deployment.migrations,
          host: deployment.host,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** The latest `limit` rows, newest first. */
    async list(limit: number): Promise<DeploymentRow[]> {
      return db.selectFrom('deployments').selectAll().orderBy('id', 'desc').limit(limit).execute();
    },

    /** Rows whose commit starts with `prefix` (lower-case hex), newest first. */
    async findByCommitPrefix(prefix: string): Promise<DeploymentRow[]> {
      return db
        .selectFrom('deployments')
        .selectAll()
        .where('commit_sha', 'like', `${prefix}%`)
        .orderBy('id', 'desc')
        .execute();
    },

    /** Rows of one version, newest first. */
    async findByVersion(version: string): Promise<DeploymentRow[]> {
      return db
        .selectFrom('deployments')
        .selectAll()
        .where('version', '=', version)
        .orderBy('id', 'desc')
        .execute();
    },
  };
}

/** The deployment repository's queries. */
export type DeploymentsRepo = ReturnType<typeof createDeploymentsRepo>;
