import type { ColumnType } from 'kysely';
import type { Severity } from '../../domain/incidents.ts';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** One alert rule's last verdict (migrations/0013_alerts). */
export interface AlertStatesTable {
  rule_key: string;
  firing: ColumnType<boolean, boolean | undefined, boolean>;
  severity: Severity | null;
  value: ColumnType<string, string | undefined, string>;
  firing_since: NullableTimestamp;
  clear_since: NullableTimestamp;
  evaluated_at: ColumnType<Date, Date | string, Date | string>;
}

/** The alert tables Kysely knows; Database in schema.ts extends this. */
export interface AlertTables {
  alert_states: AlertStatesTable;
}
