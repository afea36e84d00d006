import { sql } from 'kysely';
import type { Executor } from './executor.ts';
import type { SmokeRunRow } from './schema-smoke.ts';

/** A finished smoke run to record; finished_at is the database's clock. */
export type NewSmokeRun = {
  url: string;
  ok: boolean;
  full: boolean;
  passed: number;
  failed: number;
  skipped: number;
  steps: unknown[];
  startedAt: Date;
};

/** The smoke run ledger's queries. */
export function createSmokeRunsRepo(db: Executor) {
  return {
    /** Appends one run and returns it as stored. */
    async record(run: NewSmokeRun): Promise<SmokeRunRow> {
      return db
        .insertInto('smoke_runs')
        .values({
          url: run.url,
          ok: run.ok,
          full_run: run.full,
          passed: run.passed,
          failed: run.failed,
          skipped: run.skipped,
          steps: JSON.stringify(run.steps),
          started_at: run.startedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** The latest run, and the latest passed run, that finished within `seconds` by the database's clock. */
    async latestWithin(seconds: number): Promise<{ lastPassed?: SmokeRunRow; last?: SmokeRunRow }> {
      const base = db
        .selectFrom('smoke_runs')
        .selectAll()
        .where('finished_at', '>=', sql<Date>`now() - make_interval(secs => ${seconds})`);
      const lastPassed = await base
        .where('ok', '=', true)
        .orderBy('finished_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const last = await base
        .orderBy('finished_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return { lastPassed, last };
    },
  };
}

/** The smoke run repository's queries. */
export type SmokeRunsRepo = ReturnType<typeof createSmokeRunsRepo>;
