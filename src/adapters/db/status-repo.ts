import { sql } from 'kysely';
import type { Component } from '../../domain/incidents.ts';
import type {
  ComponentState,
  MaintenanceSpan,
  OpenImpact,
  PublicIncident,
  StateStretch,
} from '../../domain/status.ts';
import type { Executor } from './executor.ts';

/** The latest stretch of one component's history. */
export type LatestStretch = StateStretch & { id: string };

/** Reads for the public status page and writes of the component state history. */
export function createStatusRepo(db: Executor) {
  return {
    /** Severity and components of every open incident, published or not. */
    async openImpacts(): Promise<OpenImpact[]> {
      const rows = await db
        .selectFrom('incidents')
        .select(['severity', 'components', 'updated_at'])
        .where('status', '<>', 'resolved')
        .execute();
      return rows.map((r) => ({ severity: r.severity, components: r.components, updatedAt: r.updated_at }));
    },

    /**
     * Incidents with at least one public timeline entry, open or resolved since `since`, newest
     * first, each with its public entries newest first.
     */
    async publishedIncidents(since: Date, limit: number): Promise<PublicIncident[]> {
      const incidents = await db
        .selectFrom('incidents as i')
        .select([
          'i.id',
          'i.title',
          'i.severity',
          'i.status',
          'i.components',
          'i.started_at',
          'i.detected_at',
          'i.resolved_at',
          'i.updated_at',
        ])
        .where((eb) =>
          eb.and([
            eb.exists(
              eb
                .selectFrom('incident_timeline as t')
                .select(sql`1`.as('one'))
                .whereRef('t.incident_id', '=', 'i.id')
                .where('t.public', '=', true),
            ),
            eb.or([eb('i.status', '<>', 'resolved'), eb('i.resolved_at', '>=', since)]),
          ]),
        )
        .orderBy('i.detected_at', 'desc')
        .orderBy('i.id', 'desc')
        .limit(limit)
        .execute();
      if (incidents.length === 0) return [];
      const entries = await db
        .selectFrom('incident_timeline')
        .select(['id', 'incident_id', 'at', 'status', 'message'])
        .where('public', '=', true)
        .where(
          'incident_id',
          'in',
          incidents.map((i) => i.id),
        )
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return incidents.map((i) => ({
        id: String(i.id),
        title: i.title,
        severity: i.severity,
        status: i.status,
        components: i.components,
        startedAt: i.started_at,
        detectedAt: i.detected_at,
        resolvedAt: i.resolved_at,
        updatedAt: i.updated_at,
        updates: entries
          .filter((e) => String(e.incident_id) === String(i.id))
          .map((e) => ({ id: String(e.id), at: e.at, status: e.status ?? i.status, message: e.message })),
      }));
    },

    /** Maintenance windows not cancelled that end at or after `since`, soonest first. */
    async maintenance(since: Date, limit: number): Promise<MaintenanceSpan[]> {
      const rows = await db
        .selectFrom('maintenance_windows')
        .selectAll()
        .where('status', '<>', 'cancelled')
        .where('ends_at', '>=', since)
        .orderBy('starts_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: String(r.id),
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        message: r.message,
        status: r.status,
        components: r.components,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      }));
    },

    /** History stretches last seen at or after `since`. */
    async stretches(since: Date): Promise<StateStretch[]> {
      const rows = await db
        .selectFrom('component_state_history')
        .select(['component', 'state', 'started_at', 'checked_at'])
        .where('checked_at', '>=', since)
        .orderBy('started_at')
        .execute();
      return rows.map((r) => ({
        component: r.component,
        state: r.state,
        startedAt: r.started_at,
        checkedAt: r.checked_at,
      }));
    },

    /** Holds other writers of the history off until this transaction ends (readers go on). */
    async lockHistory(): Promise<void> {
      await sql`LOCK TABLE component_state_history IN SHARE ROW EXCLUSIVE MODE`.execute(db);
    },

    /** Each component's latest stretch. */
    async latestStretches(): Promise<LatestStretch[]> {
      const rows = await db
        .selectFrom('component_state_history')
        .select(['id', 'component', 'state', 'started_at', 'checked_at'])
        .distinctOn('component')
        .orderBy('component')
        .orderBy('started_at', 'desc')
        .execute();
      return rows.map((r) => ({
        id: String(r.id),
        component: r.component,
        state: r.state,
        startedAt: r.started_at,
        checkedAt: r.checked_at,
      }));
    },

    /** Moves a stretch's last sighting to `at`. */
    async extendStretch(id: string, at: Date): Promise<void> {
      await db
        .updateTable('component_state_history')
        .set({ checked_at: at })
        .where('id', '=', id)
        .where('checked_at', '<=', at)
        .execute();
    },

    /** Starts a stretch at `at` (a stretch started at the same instant takes the newer state). */
    async startStretch(component: Component, state: ComponentState, at: Date): Promise<void> {
      await db
        .insertInto('component_state_history')
        .values({ component, state, started_at: at, checked_at: at })
        .onConflict((oc) => oc.columns(['component', 'started_at']).doUpdateSet({ state }))
        .execute();
    },
  };
}

/** The status repository's queries. */
export type StatusRepo = ReturnType<typeof createStatusRepo>;
