import type { Executor } from './executor.ts';
import type { DrillRow, DrillsTable } from './schema-drills.ts';

/** A finished drill to record. */
export type NewDrill = {
  backupId: string;
  engine: DrillsTable['engine'];
  ok: boolean;
  differing: string[];
  phases: Record<string, number>;
  recoveryMs: number;
  actor: string;
  startedAt: Date;
};

/** The drills ledger's queries. */
export function createDrillsRepo(db: Executor) {
  return {
    /** Appends one drill and returns it as stored. */
    async record(drill: NewDrill): Promise<DrillRow> {
      return db
        .insertInto('drills')
        .values({
          backup_id: drill.backupId,
          engine: drill.engine,
          ok: drill.ok,
          differing: drill.differing,
          phases: JSON.stringify(drill.phases),
          recovery_ms: drill.recoveryMs,
          actor: drill.actor,
          started_at: drill.startedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** The latest `limit` drills, newest first. */
    async list(limit: number): Promise<DrillRow[]> {
      return db.selectFrom('drills').selectAll().orderBy('id', 'desc').limit(limit).execute();
    },
  };
}
