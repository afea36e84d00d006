import { type Selectable, sql, type Updateable } from 'kysely';
import type { Incident, IncidentStatus, TimelineEntry, TimelineKind } from '../../domain/incidents.ts';
import type { Executor } from './executor.ts';
import type { IncidentsTable, IncidentTimelineTable } from './schema-incidents.ts';

/** A new incident as a service opens it. */
export type NewIncident = Pick<
  Incident,
  | 'title'
  | 'severity'
  | 'type'
  | 'components'
  | 'commander'
  | 'ruleKey'
  | 'openedBy'
  | 'startedAt'
  | 'detectedAt'
>;

/** A new timeline entry. */
export type NewTimelineEntry = {
  at: Date;
  kind: TimelineKind;
  status?: IncidentStatus | null;
  message: string;
  public?: boolean;
  actor: string;
};

/** Which incidents to list. */
export type IncidentFilter = { open?: boolean; limit: number };

const toIncident = (row: Selectable<IncidentsTable>): Incident => ({
  id: String(row.id),
  title: row.title,
  severity: row.severity,
  type: row.type,
  status: row.status,
  components: row.components,
  commander: row.commander,
  ruleKey: row.rule_key,
  openedBy: row.opened_by,
  startedAt: row.started_at,
  detectedAt: row.detected_at,
  acknowledgedAt: row.acknowledged_at,
  acknowledgedBy: row.acknowledged_by,
  resolvedAt: row.resolved_at,
  updatedAt: row.updated_at,
  revision: row.revision,
});

const toEntry = (row: Selectable<IncidentTimelineTable>): TimelineEntry => ({
  id: String(row.id),
  incidentId: String(row.incident_id),
  at: row.at,
  kind: row.kind,
  status: row.status,
  message: row.message,
  public: row.public,
  actor: row.actor,
});

const entryValues = (incidentId: string, entry: NewTimelineEntry) => ({
  incident_id: incidentId,
  at: entry.at,
  kind: entry.kind,
  status: entry.status ?? null,
  message: entry.message,
  public: entry.public ?? false,
  actor: entry.actor,
});

/** Queries for incidents and their timeline; writes go inside the transaction of their audit row. */
export function createIncidentsRepo(db: Executor) {
  return {
    /** Stores a new incident and returns it. */
    async insert(incident: NewIncident): Promise<Incident> {
      const row = await db
        .insertInto('incidents')
        .values({
          title: incident.title,
          severity: incident.severity,
          type: incident.type,
          components: incident.components,
          commander: incident.commander,
          rule_key: incident.ruleKey,
          opened_by: incident.openedBy,
          started_at: incident.startedAt,
          detected_at: incident.detectedAt,
          updated_at: incident.detectedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toIncident(row);
    },

    /** One incident, or undefined. */
    async find(id: string): Promise<Incident | undefined> {
      const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toIncident(row);
    },

    /** The open incident a rule opened, if any. */
    async findOpenByRule(ruleKey: string): Promise<Incident | undefined> {
      const row = await db
        .selectFrom('incidents')
        .selectAll()
        .where('rule_key', '=', ruleKey)
        .where('status', '<>', 'resolved')
        .executeTakeFirst();
      return row && toIncident(row);
    },

    /** Incidents newest first; `open` keeps the unresolved ones. */
    async list(filter: IncidentFilter): Promise<Incident[]> {
      let query = db.selectFrom('incidents').selectAll();
      if (filter.open) query = query.where('status', '<>', 'resolved');
      const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
      return rows.map(toIncident);
    },

    /**
     * Changes an incident only if it is still the revision the caller read; undefined means
     * someone changed it meanwhile.
     */
    async updateIf(
      expected: Pick<Incident, 'id' | 'revision'>,
      changes: Updateable<IncidentsTable> & { updated_at: Date },
    ): Promise<Incident | undefined> {
      const row = await db
        .updateTable('incidents')
        .set({ ...changes, revision: sql<number>`revision + 1` })
        .where('id', '=', expected.id)
        .where('revision', '=', expected.revision)
        .returningAll()
        .executeTakeFirst();
      return row && toIncident(row);
    },

    /** Appends one timeline entry. */
    async addEntry(incidentId: string, entry: NewTimelineEntry): Promise<TimelineEntry> {
      const row = await db
        .insertInto('incident_timeline')
        .values(entryValues(incidentId, entry))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEntry(row);
    },

    /** Appends the same entry to every open incident in one statement; returns their ids. */
    async addEntryToOpen(entry: NewTimelineEntry): Promise<string[]> {
      const values = entryValues('0', entry);
      const rows = await db
        .insertInto('incident_timeline')
        .columns(['incident_id', 'at', 'kind', 'status', 'message', 'public', 'actor'])
        .expression((eb) =>
          eb
            .selectFrom('incidents')
            .select([
              'id',
              sql<Date>`${values.at}::timestamptz`.as('at'),
              sql<TimelineKind>`${values.kind}::text`.as('kind'),
              sql<IncidentStatus | null>`${values.status}::text`.as('status'),
              sql<string>`${values.message}::text`.as('message'),
              sql<boolean>`${values.public}::boolean`.as('public'),
              sql<string>`${values.actor}::text`.as('actor'),
            ])
            .where('status', '<>', 'resolved'),
        )
        .returning('incident_id')
        .execute();
      return rows.map((r) => String(r.incident_id));
    },

    /** An incident's timeline, oldest first. */
    async timeline(incidentId: string): Promise<TimelineEntry[]> {
      const rows = await db
        .selectFrom('incident_timeline')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .orderBy('at')
        .orderBy('id')
        .execute();
      return rows.map(toEntry);
    },
  };
}

/** The incidents repository's queries. */
export type IncidentsRepo = ReturnType<typeof createIncidentsRepo>;
