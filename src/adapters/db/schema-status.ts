import type { ColumnType } from 'kysely';
import type { Component } from '../../domain/incidents.ts';
import type { ComponentState } from '../../domain/status.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** One unbroken stretch of a component's state (migrations/0014_status_history). */
export interface ComponentStateHistoryTable {
  id: ColumnType<string, never, never>;
  component: Component;
  state: ComponentState;
  started_at: Timestamp;
  checked_at: Timestamp;
}

/** The status page's tables Kysely knows; Database in schema.ts extends this. */
export interface StatusTables {
  component_state_history: ComponentStateHistoryTable;
}
