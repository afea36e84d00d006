import { loadMigrations } from '../../src/adapters/db/migrator.ts';

/** The newest migration below the billing group (ADR 0005): what `db rollback --to 0099` keeps. */
export const LAST_BEFORE_BILLING = loadMigrations()
  .filter((f) => f.name < '0100')
  .at(-1)!.name;

/** What `db rollback --to 0099` undoes, in the order it undoes them (newest first). */
export const BILLING_GROUP_NEWEST_FIRST = loadMigrations()
  .map((f) => f.name)
  .filter((name) => name >= '0100')
  .reverse();
