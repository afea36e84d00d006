import { incidentLabel } from '../../../domain/incidents.ts';
import {
  COMPONENT_NAMES,
  type ComponentNow,
  impactOfSeverity,
  type MaintenanceNow,
  type PublicIncident,
  type StatusSnapshot,
} from '../../../domain/status.ts';
import type { StatusView } from '../../../services/status/status-cache.ts';

// Atlassian Statuspage's public API shapes (v2), so existing widgets and monitors read ours.

/** The page id every object names. */
export const PAGE_ID = 'polaris';
/** The page's public name. */
export const PAGE_NAME = 'SmartSlate Polaris';
// Components are fixed in code; they exist since the status page does.
const COMPONENTS_SINCE = '2026-11-30T00:00:00.000Z';

const iso = (at: Date | null | undefined) => (at ? at.toISOString() : null);

/** Where the page lives, for links in the JSON and the feed. */
export const statusUrl = (baseUrl: string) => `${baseUrl.replace(/\/+$/, '')}/status`;
/** The anchor of one incident or window on the page. */
export const anchorOf = (id: string) => id.toLowerCase();
/** A maintenance window's public id. */
export const maintenanceId = (id: string) => `MW-${id}`;

function pageJson(view: StatusView, baseUrl: string) {
  return {
    id: PAGE_ID,
    name: PAGE_NAME,
    url: statusUrl(baseUrl),
    time_zone: 'Etc/UTC',
    updated_at: iso(view.snapshot?.asOf),
  };
}

function componentJson(c: ComponentNow, position: number, asOf: Date) {
  return {
    id: c.component,
    name: COMPONENT_NAMES[c.component],
    status: c.state,
    created_at: COMPONENTS_SINCE,
    updated_at: iso(c.updatedAt ?? asOf),
    position,
    description: null,
    showcase: true,
    start_date: null,
    group_id: null,
    page_id: PAGE_ID,
    group: false,
    only_show_if_degraded: false,
  };
}

function componentsOf(snapshot: StatusSnapshot, names: readonly string[]) {
  return snapshot.components
    .map((c, i) => componentJson(c, i + 1, snapshot.asOf))
    .filter((c) => names.includes(c.id));
}

function incidentJson(incident: PublicIncident, snapshot: StatusSnapshot, baseUrl: string) {
  const id = incidentLabel(incident.id);
  const monitoring = incident.updates.filter((u) => u.status === 'monitoring').at(-1);
  return {
    id,
    name: incident.title,
    status: incident.status,
    created_at: iso(incident.detectedAt),
    updated_at: iso(incident.updatedAt),
    monitoring_at: iso(monitoring?.at),
    resolved_at: iso(incident.resolvedAt),
    impact: impactOfSeverity(incident.severity),
    shortlink: `${statusUrl(baseUrl)}#${anchorOf(id)}`,
    started_at: iso(incident.startedAt),
    page_id: PAGE_ID,
    incident_updates: incident.updates.map((u) => ({
      id: `${id}-${u.id}`,
      status: u.status,
      body: u.message,
      incident_id: id,
      created_at: iso(u.at),
      updated_at: iso(u.at),
      display_at: iso(u.at),
      affected_components: null,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: componentsOf(snapshot, incident.components),
  };
}

function maintenanceJson(window: MaintenanceNow, snapshot: StatusSnapshot, baseUrl: string) {
  const id = maintenanceId(window.id);
  const names =
    window.components.length > 0 ? window.components : snapshot.components.map((c) => c.component);
  return {
    id,
    name: window.message.split('\n')[0]!.slice(0, 120),
    status: window.phase,
    created_at: iso(window.createdAt),
    updated_at: iso(window.updatedAt),
    monitoring_at: null,
    resolved_at: window.phase === 'completed' ? iso(window.endsAt) : null,
    impact: 'maintenance',
    shortlink: `${statusUrl(baseUrl)}#${anchorOf(id)}`,
    started_at: iso(window.startsAt),
    page_id: PAGE_ID,
    incident_updates: [
      {
        id: `${id}-1`,
        status: window.phase,
        body: window.message,
        incident_id: id,
        created_at: iso(window.createdAt),
        updated_at: iso(window.updatedAt),
        display_at: iso(window.createdAt),
        affected_components: null,
        deliver_notifications: true,
        custom_tweet: null,
        tweet_id: null,
      },
    ],
    components: componentsOf(snapshot, names),
    scheduled_for: iso(window.startsAt),
    scheduled_until: iso(window.endsAt),
  };
}

// Not in Statuspage's shape: says the answer is the last known state, and why. Readers ignore it.
const staleJson = (view: StatusView) =>
  view.stale ? { stale: { reason: view.stale.reason, as_of: iso(view.stale.asOf) } } : {};

const UNKNOWN = { indicator: 'minor', description: 'Status temporarily unavailable' } as const;

/** GET /api/v2/status.json. */
export function statusJson(view: StatusView, baseUrl: string) {
  return { page: pageJson(view, baseUrl), status: view.snapshot?.status ?? UNKNOWN, ...staleJson(view) };
}

/** GET /api/v2/incidents.json: the 50 most recent published incidents. */
export function incidentsJson(view: StatusView, baseUrl: string) {
  const s = view.snapshot;
  return {
    page: pageJson(view, baseUrl),
    incidents: s ? s.incidents.slice(0, 50).map((i) => incidentJson(i, s, baseUrl)) : [],
    ...staleJson(view),
  };
}

/** GET /api/v2/scheduled-maintenances.json: upcoming, in progress and recent windows. */
export function maintenancesJson(view: StatusView, baseUrl: string) {
  const s = view.snapshot;
  return {
    page: pageJson(view, baseUrl),
    scheduled_maintenances: s ? s.maintenance.map((w) => maintenanceJson(w, s, baseUrl)) : [],
    ...staleJson(view),
  };
}

/** GET /api/v2/summary.json: status, components, unresolved incidents, upcoming and in-progress maintenance. */
export function summaryJson(view: StatusView, baseUrl: string) {
  const s = view.snapshot;
  return {
    page: pageJson(view, baseUrl),
    components: s ? s.components.map((c, i) => componentJson(c, i + 1, s.asOf)) : [],
    incidents: s
      ? s.incidents.filter((i) => i.status !== 'resolved').map((i) => incidentJson(i, s, baseUrl))
      : [],
    scheduled_maintenances: s
      ? s.maintenance.filter((w) => w.phase !== 'completed').map((w) => maintenanceJson(w, s, baseUrl))
      : [],
    status: s?.status ?? UNKNOWN,
    ...staleJson(view),
  };
}
