import type { ColumnType, Generated, Selectable } from 'kysely';

/** One recorded `polaris smoke` run (migrations/0008_smoke_runs). */
export interface SmokeRunsTable {
  id: ColumnType<string, never, never>;
  url: string;
  ok: boolean;
  full_run: boolean;
  passed: number;
  failed: number;
  skipped: number;
  /** jsonb: the steps as the run reported them; written as a JSON string. */
  steps: ColumnType<unknown, string, never>;
  started_at: Date;
  finished_at: Generated<Date>;
}

/** The tables of migrations/0008_smoke_runs; the Database interface extends this. */
export interface SmokeTables {
  smoke_runs: SmokeRunsTable;
}

/** One stored smoke run. */
export type SmokeRunRow = Selectable<SmokeRunsTable>;
