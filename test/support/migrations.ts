import { loadMigrations } from '../../src/adapters/db/migrator.ts';

/** The newest migration below the billing group (ADR 0005): what `db rollback --to 0099` keeps. */
export const LAST_BEFORE_BILLING = loadMigrations()
  .filter((f) => f.name < '0100')
  .at(-1)!.name;
