import type { ColumnType } from 'kysely';
import type {
  Component,
  IncidentStatus,
  IncidentType,
  Severity,
  TimelineKind,
} from '../../domain/incidents.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** One incident (migrations/0009_incidents). */
export interface IncidentsTable {
  id: ColumnType<string, never, never>;
  title: string;
  severity: Severity;
  type: IncidentType;
  status: ColumnType<IncidentStatus, IncidentStatus | undefined, IncidentStatus>;
  components: ColumnType<Component[], Component[] | undefined, Component[]>;
  commander: string | null;
  rule_key: string | null;
  opened_by: string;
  started_at: Timestamp;
  detected_at: Timestamp;
  acknowledged_at: NullableTimestamp;
  acknowledged_by: string | null;
  resolved_at: NullableTimestamp;
  updated_at: Timestamp;
  revision: ColumnType<number, never, number>;
}

/** One timeline entry of an incident. */
export interface IncidentTimelineTable {
  id: ColumnType<string, never, never>;
  incident_id: string;
  at: Timestamp;
  kind: TimelineKind;
  status: IncidentStatus | null;
  message: string;
  public: ColumnType<boolean, boolean | undefined, boolean>;
  actor: string;
}

/** The incident tables Kysely knows; Database in schema.ts extends this. */
export interface IncidentTables {
  incidents: IncidentsTable;
  incident_timeline: IncidentTimelineTable;
}
