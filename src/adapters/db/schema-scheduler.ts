import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** What a page row records: an escalation level paged, or a status-update reminder sent. */
export type PageKind = 'escalation' | 'cadence';

/** One escalation page or cadence reminder the scheduler sent (migrations/0011_scheduler). */
export interface IncidentPagesTable {
  incident_id: ColumnType<string, string, never>;
  kind: PageKind;
  step: number;
  due_at: Timestamp;
  sent_at: Timestamp;
  notification_key: string;
  actor: string;
}

/** The scheduler's current leader as it last reported itself. */
export interface SchedulerLeaderTable {
  id: ColumnType<boolean, boolean | undefined, never>;
  holder: string;
  since: Timestamp;
  heartbeat_at: Timestamp;
}

/** The scheduler tables Kysely knows; Database in schema.ts extends this. */
export interface SchedulerTables {
  incident_pages: IncidentPagesTable;
  scheduler_leader: SchedulerLeaderTable;
}
