import type { FlagsView } from '../../domain/flags.ts';
import {
  COMPONENTS,
  INCIDENT_TYPES,
  type Incident,
  incidentLabel,
  SEVERITIES,
} from '../../domain/incidents.ts';
import type { Caller } from '../http/env.ts';
import { AdminPage } from './admin-layout.tsx';
import type { PageProps } from './layout.tsx';
import { utcTime } from './status-sections.tsx';

/** What every admin-records page gets from its route. */
export type AdminShell = { caller: Caller; flags: FlagsView; notice?: PageProps['notice'] };

/** A table of incidents, each linking to its page. */
export function IncidentTable(props: { id: string; incidents: Incident[]; empty: string }) {
  if (props.incidents.length === 0) return <p id={props.id}>{props.empty}</p>;
  return (
    <div class="table-wrap">
      <table id={props.id}>
        <thead>
          <tr>
            <th scope="col">Incident</th>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            <th scope="col">Title</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {props.incidents.map((i) => (
            <tr>
              <td>
                <a href={`/admin/incidents/${i.id}`}>{incidentLabel(i.id)}</a>
              </td>
              <td>{i.severity}</td>
              <td>
                <span class="badge">{i.status}</span>
              </td>
              <td>{i.title}</td>
              <td>{utcTime(i.startedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OpenIncidentForm() {
  return (
    <form method="post" action="/admin/incidents" id="open-incident">
      <fieldset>
        <legend>Open an incident</legend>
        <div class="field">
          <label for="incident-severity">Severity</label>
          <select id="incident-severity" name="severity" required>
            <option value="">Choose…</option>
            {SEVERITIES.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="incident-type">Type</label>
          <select id="incident-type" name="type" required>
            <option value="">Choose…</option>
            {INCIDENT_TYPES.map((t) => (
              <option value={t}>{t}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="incident-title">Title</label>
          <input id="incident-title" name="title" required maxlength={200} />
        </div>
        <fieldset>
          <legend>Components affected</legend>
          {COMPONENTS.map((c) => (
            <label>
              <input type="checkbox" name="components" value={c} /> {c}
            </label>
          ))}
        </fieldset>
        <p class="hint">The same as `npx polaris incident open`; recorded in the audit log as you.</p>
        <button type="submit">Open incident</button>
      </fieldset>
    </form>
  );
}

/** /admin/incidents: the open incidents, the recent ones, and the form that opens one. */
export function AdminIncidentsPage(props: AdminShell & { open: Incident[]; recent: Incident[] }) {
  return (
    <AdminPage title="Incidents" current="incidents" {...props}>
      <h2>Open</h2>
      <IncidentTable id="open-incidents-list" incidents={props.open} empty="No open incident." />
      <OpenIncidentForm />
      <h2>Recent</h2>
      <IncidentTable id="recent-incidents" incidents={props.recent} empty="No incident yet." />
    </AdminPage>
  );
}
