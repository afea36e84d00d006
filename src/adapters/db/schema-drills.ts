import type { ColumnType, Generated, Selectable } from 'kysely';

/** One backup drill (migrations/0007_drills). */
export interface DrillsTable {
  id: ColumnType<string, never, never>;
  backup_id: string;
  engine: 'postgresql' | 'pglite';
  ok: boolean;
  differing: string[];
  /** Milliseconds per phase, in the order they ran. */
  phases: ColumnType<Record<string, number>, string, string>;
  recovery_ms: number;
  actor: string;
  started_at: Date;
  finished_at: Generated<Date>;
}

/** The tables of migrations/0007_drills; the Database interface extends this. */
export interface DrillTables {
  drills: DrillsTable;
}

/** One recorded drill. */
export type DrillRow = Selectable<DrillsTable>;
