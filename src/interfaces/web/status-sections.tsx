import { incidentLabel } from '../../domain/incidents.ts';
import {
  COMPONENT_NAMES,
  type ComponentNow,
  formatUptime,
  HISTORY_DAYS,
  type MaintenanceNow,
  maintenanceComponents,
  type PublicIncident,
  STATE_LABELS,
  type UptimeBar,
  utcDay,
} from '../../domain/status.ts';

/** A time as the page prints it: 2026-11-30 05:58 UTC. */
export const utcTime = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const STATUS_WORDS: Record<string, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  completed: 'Completed',
};

const names = (components: readonly string[]) =>
  components.map((c) => COMPONENT_NAMES[c as keyof typeof COMPONENT_NAMES]).join(', ');

/** Each component with its state in words (colour only repeats what the words say). */
export function ComponentList(props: { components: ComponentNow[] }) {
  return (
    <ul id="components" class="rows">
      {props.components.map((c) => (
        <li id={`component-${c.component}`}>
          <span>{COMPONENT_NAMES[c.component]}</span>
          <span class={`state s-${c.state}`}>{STATE_LABELS[c.state]}</span>
        </li>
      ))}
    </ul>
  );
}

/** One incident with its public updates, newest first. */
export function IncidentCard(props: { incident: PublicIncident; level: 'h3' | 'h4' }) {
  const { incident } = props;
  const id = incidentLabel(incident.id);
  const Heading = props.level;
  return (
    <article id={id.toLowerCase()} class={`incident i-${incident.severity}`}>
      <Heading>{incident.title}</Heading>
      <p class="meta">
        {id} · {STATUS_WORDS[incident.status]}
        {incident.components.length > 0 ? ` · affects ${names(incident.components)}` : ''}
      </p>
      <ol class="updates">
        {incident.updates.map((u) => (
          <li>
            <strong>{STATUS_WORDS[u.status]}</strong> — {u.message}{' '}
            <time datetime={u.at.toISOString()}>{utcTime(u.at)}</time>
          </li>
        ))}
      </ol>
    </article>
  );
}

/** Upcoming and in-progress maintenance windows. */
export function MaintenanceList(props: { windows: MaintenanceNow[] }) {
  if (props.windows.length === 0) return <p id="no-maintenance">No maintenance scheduled.</p>;
  return (
    <div id="maintenance">
      {props.windows.map((w) => (
        <article id={`mw-${w.id}`} class="incident i-maintenance">
          <h3>
            {STATUS_WORDS[w.phase]}: {utcTime(w.startsAt)} to {utcTime(w.endsAt)}
          </h3>
          <p>{w.message}</p>
          <p class="meta">Affects {names(maintenanceComponents(w))}</p>
        </article>
      ))}
    </div>
  );
}

/** The 90-day bars: one cell a day, its date and uptime in its title; the whole bar reads as one image with a summary. */
export function UptimeBars(props: { bars: UptimeBar[] }) {
  return (
    <div id="uptime">
      {props.bars.map((bar) => {
        const bad = bar.days.filter((d) => d.uptime !== null && d.uptime < 1).length;
        const name = COMPONENT_NAMES[bar.component];
        return (
          <div class="uptime" id={`uptime-${bar.component}`}>
            <p class="rows">
              <span>{name}</span>
              <span>{bar.uptime === null ? 'no data yet' : `${formatUptime(bar.uptime)} uptime`}</span>
            </p>
            <div
              class="bars"
              role="img"
              aria-label={`${name}: ${formatUptime(bar.uptime)} uptime over ${HISTORY_DAYS} days, ${bad} ${bad === 1 ? 'day' : 'days'} with downtime`}
            >
              {bar.days.map((d) => (
                <span
                  class={d.worst ? `s-${d.worst}` : 's-none'}
                  title={`${d.day}: ${d.worst ? `${STATE_LABELS[d.worst]}, ${formatUptime(d.uptime)}` : 'no data'}`}
                />
              ))}
            </div>
            <p class="ends" aria-hidden="true">
              <span>{HISTORY_DAYS} days ago</span>
              <span>today</span>
            </p>
          </div>
        );
      })}
    </div>
  );
}

/** Published incidents of the history days, grouped by the UTC day they were detected. */
export function PastIncidents(props: { incidents: PublicIncident[] }) {
  if (props.incidents.length === 0)
    return <p id="no-history">No incidents reported in the last {HISTORY_DAYS} days.</p>;
  const days = [...new Set(props.incidents.map((i) => utcDay(i.detectedAt)))];
  return (
    <div id="history">
      {days.map((day) => (
        <section aria-label={day}>
          <h3>{day}</h3>
          {props.incidents
            .filter((i) => utcDay(i.detectedAt) === day)
            .map((i) => (
              <IncidentCard incident={i} level="h4" />
            ))}
        </section>
      ))}
    </div>
  );
}
