import type { ColumnType } from 'kysely';
import type { Component } from '../../domain/incidents.ts';
import type { MaintenanceStatus } from '../../domain/maintenance.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type { MaintenanceStatus };

/** One scheduled maintenance window (migrations/0010_maintenance_windows). */
export interface MaintenanceWindowsTable {
  id: ColumnType<string, never, never>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  message: string;
  components: ColumnType<Component[], Component[] | undefined, Component[]>;
  notify: ColumnType<boolean, boolean | undefined, boolean>;
  status: ColumnType<MaintenanceStatus, MaintenanceStatus | undefined, MaintenanceStatus>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** When the job queued the notice, and the reminder 24 h before; null until then. */
  notice_queued_at: NullableTimestamp;
  reminder_queued_at: NullableTimestamp;
  /** When the job started the window, and when it completed or was cancelled. */
  started_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  cancelled_by: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The maintenance tables Kysely knows; Database in schema.ts extends this. */
export interface MaintenanceTables {
  maintenance_windows: MaintenanceWindowsTable;
}
