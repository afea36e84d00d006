import type { ColumnType } from 'kysely';
import type { Component } from '../../domain/incidents.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Where a maintenance window is in its life. */
export type MaintenanceStatus = 'scheduled' | 'in_progress' | 'completed' | 'cancelled';

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
}

/** The maintenance tables Kysely knows; Database in schema.ts extends this. */
export interface MaintenanceTables {
  maintenance_windows: MaintenanceWindowsTable;
}
