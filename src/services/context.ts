import type { MigrationState } from '../adapters/db/migrator.ts';
import type { Logger } from '../adapters/logger.ts';
import type { Result } from '../domain/errors.ts';
import type { Plan } from '../domain/plans.ts';

/** The database as use cases see it: reachability and where it is (password never included). */
export interface DatabasePort {
  kind: 'embedded' | 'postgres';
  displayUrl: string;
  ping(): Promise<void>;
}

/** Schema migrations (implemented by adapters/db/migrator.ts). */
export interface MigrationsPort {
  status(): Promise<MigrationState[]>;
  migrate(): Promise<Result<{ applied: string[] }>>;
  rollback(target: string): Promise<Result<{ rolledBack: string[] }>>;
}

/** Writes the code plan catalog where the database's quota functions read it. */
export interface PlanCatalogPort {
  sync(plans: readonly Plan[]): Promise<number>;
}

/** Everything a service verb may use, injected by src/main.ts. */
export type ServiceContext = {
  database: DatabasePort;
  migrations: MigrationsPort;
  planCatalog: PlanCatalogPort;
  log: Logger;
  now: () => Date;
};
