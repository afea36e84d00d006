import { COMPONENTS, type Component, type IncidentStatus, type Severity } from './incidents.ts';

/** A component's state, in Atlassian Statuspage's words. */
export const COMPONENT_STATES = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

/** The components as the public reads them. */
export const COMPONENT_NAMES: Record<Component, string> = {
  checkout: 'Checkout',
  webhooks: 'Payment webhooks',
  api: 'API',
  web: 'Web app',
  database: 'Database',
};

/** How people read each state. */
export const STATE_LABELS: Record<ComponentState, string> = {
  operational: 'Operational',
  under_maintenance: 'Under maintenance',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};

/** How many days of history the page keeps. */
export const HISTORY_DAYS = 90;

const DAY_MS = 86_400_000;
const rank = (state: ComponentState) => COMPONENT_STATES.indexOf(state);
const worse = (a: ComponentState, b: ComponentState) => (rank(b) > rank(a) ? b : a);

/** The state an open incident of this severity puts its components in. */
export function stateOfSeverity(severity: Severity): ComponentState {
  if (severity === 'critical') return 'major_outage';
  if (severity === 'high') return 'partial_outage';
  return 'degraded_performance';
}

/** An incident's impact in Statuspage's scale. */
export type Impact = 'none' | 'minor' | 'major' | 'critical';

/** Statuspage's impact of an incident of this severity. */
export function impactOfSeverity(severity: Severity): Impact {
  if (severity === 'critical') return 'critical';
  if (severity === 'high') return 'major';
  return 'minor';
}

/** What the current states need from an open incident (published or not: the outage is real). */
export type OpenImpact = { severity: Severity; components: Component[]; updatedAt: Date };

/** A maintenance window's lifecycle as stored (migrations/0010). */
export type MaintenancePhase = 'scheduled' | 'in_progress' | 'completed' | 'cancelled';

/** What the status page needs from a maintenance window. */
export type MaintenanceSpan = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  message: string;
  status: MaintenancePhase;
  /** None named means every component. */
  components: Component[];
  createdAt: Date;
  updatedAt: Date;
};

/**
 * Where a window stands at `now`: by the clock, so the page is right even before the scheduler
 * has flipped the stored status; cancelled and completed are final.
 */
export function maintenancePhase(window: MaintenanceSpan, now: Date): MaintenancePhase {
  if (window.status === 'cancelled' || window.status === 'completed') return window.status;
  if (now.getTime() >= window.endsAt.getTime()) return 'completed';
  if (window.status === 'in_progress' || now.getTime() >= window.startsAt.getTime()) return 'in_progress';
  return 'scheduled';
}

/** The components a window covers. */
export const maintenanceComponents = (window: MaintenanceSpan): Component[] =>
  window.components.length > 0 ? window.components : [...COMPONENTS];

/** One component's current state and since when it is known to be so. */
export type ComponentNow = { component: Component; state: ComponentState; updatedAt: Date | null };

/** Each component's state now: the worst of the open incidents and maintenance in progress touching it. */
export function currentStates(open: OpenImpact[], windows: MaintenanceSpan[], now: Date): ComponentNow[] {
  return COMPONENTS.map((component) => {
    let state: ComponentState = 'operational';
    let updatedAt: Date | null = null;
    const touch = (next: ComponentState, at: Date) => {
      state = worse(state, next);
      if (!updatedAt || at > updatedAt) updatedAt = at;
    };
    for (const incident of open) {
      if (incident.components.includes(component))
        touch(stateOfSeverity(incident.severity), incident.updatedAt);
    }
    for (const window of windows) {
      if (
        maintenancePhase(window, now) === 'in_progress' &&
        maintenanceComponents(window).includes(component)
      )
        touch('under_maintenance', window.startsAt);
    }
    return { component, state, updatedAt };
  });
}

/** The page's overall status in Statuspage's shape. */
export type PageStatus = { indicator: Impact | 'maintenance'; description: string };

/** The overall status: the worst component's state. */
export function pageStatus(states: readonly ComponentNow[]): PageStatus {
  const worst = states.reduce<ComponentState>((acc, s) => worse(acc, s.state), 'operational');
  switch (worst) {
    case 'major_outage':
      return { indicator: 'critical', description: 'Major System Outage' };
    case 'partial_outage':
      return { indicator: 'major', description: 'Partial System Outage' };
    case 'degraded_performance':
      return { indicator: 'minor', description: 'Minor Service Outage' };
    case 'under_maintenance':
      return { indicator: 'maintenance', description: 'Service Under Maintenance' };
    default:
      return { indicator: 'none', description: 'All Systems Operational' };
  }
}

/** One stretch of the state history. */
export type StateStretch = { component: Component; state: ComponentState; startedAt: Date; checkedAt: Date };

/** One day of an uptime bar: observed time, time down, the worst state seen; null uptime when nobody looked. */
export type DayBar = {
  day: string;
  observedMs: number;
  downMs: number;
  worst: ComponentState | null;
  uptime: number | null;
};

/** A component's uptime bar over the history days and its uptime across them. */
export type UptimeBar = { component: Component; days: DayBar[]; uptime: number | null };

// Partial and major outages count as downtime; degraded performance and maintenance do not.
const isDown = (state: ComponentState) => state === 'partial_outage' || state === 'major_outage';

/** The UTC day of a time, as YYYY-MM-DD. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * The uptime bars of every component over the last `days` UTC days up to `now`, from the state
 * history; time no stretch covers is unobserved and counts neither way.
 */
export function uptimeBars(stretches: readonly StateStretch[], now: Date, days = HISTORY_DAYS): UptimeBar[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return COMPONENTS.map((component) => {
    const mine = stretches.filter((s) => s.component === component);
    const bars: DayBar[] = [];
    for (let i = days - 1; i >= 0; i -= 1) {
      const from = today - i * DAY_MS;
      const to = Math.min(from + DAY_MS, now.getTime());
      const bar: DayBar = {
        day: utcDay(new Date(from)),
        observedMs: 0,
        downMs: 0,
        worst: null,
        uptime: null,
      };
      for (const s of mine) {
        const start = s.startedAt.getTime();
        const end = s.checkedAt.getTime();
        if (end < from || start >= to) continue;
        const overlap = Math.max(0, Math.min(end, to) - Math.max(start, from));
        bar.observedMs += overlap;
        if (isDown(s.state)) bar.downMs += overlap;
        bar.worst = bar.worst ? worse(bar.worst, s.state) : s.state;
      }
      if (bar.observedMs > 0) bar.uptime = 1 - bar.downMs / bar.observedMs;
      else if (bar.worst) bar.uptime = isDown(bar.worst) ? 0 : 1;
      bars.push(bar);
    }
    const observed = bars.reduce((n, b) => n + b.observedMs, 0);
    const down = bars.reduce((n, b) => n + b.downMs, 0);
    return { component, days: bars, uptime: observed > 0 ? 1 - down / observed : null };
  });
}

/** An uptime as people read it: 99.95 %, or "no data". */
export function formatUptime(uptime: number | null): string {
  if (uptime === null) return 'no data';
  return `${(Math.floor(uptime * 10_000) / 100).toFixed(2)} %`;
}

/** One public update of an incident (a timeline entry marked public). */
export type PublicUpdate = { id: string; at: Date; status: IncidentStatus; message: string };

/** An incident as the public sees it once it has a public update. */
export type PublicIncident = {
  id: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  components: Component[];
  startedAt: Date;
  detectedAt: Date;
  resolvedAt: Date | null;
  updatedAt: Date;
  /** Newest first. */
  updates: PublicUpdate[];
};

/** What recording a component's state does to its history: extend the latest stretch, start one, or both. */
export type StretchStep = { extend: string | null; start: boolean };

/**
 * The history step for one component seen in `state` at `now`: the same state extends the latest
 * stretch; a change closes it at `now` and starts another; after a gap longer than `maxGapMs`
 * (nobody looked) a new stretch starts without bridging the gap.
 */
export function stretchStep(
  latest: { id: string; state: ComponentState; checkedAt: Date } | undefined,
  state: ComponentState,
  now: Date,
  maxGapMs: number,
): StretchStep {
  if (!latest || now.getTime() - latest.checkedAt.getTime() > maxGapMs) return { extend: null, start: true };
  return { extend: latest.id, start: latest.state !== state };
}

/** A maintenance window with where it stands at the snapshot's time. */
export type MaintenanceNow = MaintenanceSpan & { phase: MaintenancePhase };

/** Everything the public status page and its JSON show, read at `asOf`. */
export type StatusSnapshot = {
  asOf: Date;
  status: PageStatus;
  components: ComponentNow[];
  /** Published incidents, open or resolved within the history days, newest first. */
  incidents: PublicIncident[];
  /** Windows not cancelled ending within the history days or later, soonest first. */
  maintenance: MaintenanceNow[];
  uptime: UptimeBar[];
};

/** The first instant of the oldest history day. */
export function historyStart(now: Date, days = HISTORY_DAYS): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * DAY_MS);
}
