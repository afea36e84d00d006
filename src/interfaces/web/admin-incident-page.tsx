import { INCIDENT_STATUSES, incidentLabel } from '../../domain/incidents.ts';
import type { IncidentRecord } from '../../services/incidents/show-incident.ts';
import type { AdminShell } from './admin-incidents-page.tsx';
import { AdminPage } from './admin-layout.tsx';
import { utcTime } from './status-sections.tsx';

function MessageField(props: { id: string; label: string }) {
  return (
    <>
      <div class="field">
        <label for={`${props.id}-message`}>{props.label}</label>
        <textarea id={`${props.id}-message`} name="message" rows={3} required maxlength={2000} />
      </div>
      <label>
        <input type="checkbox" name="public" value="on" /> Show on the public status page
      </label>
    </>
  );
}

function UpdateForms(props: { id: string; status: string }) {
  const open = INCIDENT_STATUSES.filter((s) => s !== 'resolved');
  return (
    <>
      <form method="post" action={`/admin/incidents/${props.id}/updates`} id="update-incident">
        <fieldset>
          <legend>Post an update</legend>
          <div class="field">
            <label for="update-status">Status</label>
            <select id="update-status" name="status" required>
              {open.map((s) => (
                <option value={s} selected={s === props.status}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <MessageField id="update" label="What is known now" />
          <p class="actions">
            <button type="submit">Post update</button>
          </p>
        </fieldset>
      </form>
      <form method="post" action={`/admin/incidents/${props.id}/resolve`} id="resolve-incident">
        <fieldset>
          <legend>Resolve</legend>
          <MessageField id="resolve" label="What resolved it" />
          <p class="actions">
            <button type="submit" class="danger">
              Resolve incident
            </button>
          </p>
        </fieldset>
      </form>
    </>
  );
}

/** /admin/incidents/<id>: the incident, its timeline, and its update and resolve forms while open. */
export function AdminIncidentPage(props: AdminShell & { record: IncidentRecord }) {
  const { incident, timeline } = props.record;
  const label = incidentLabel(incident.id);
  return (
    <AdminPage title={`${label}: ${incident.title}`} current="incidents" {...props}>
      <dl id="incident-summary">
        <dt>Status</dt>
        <dd id="incident-status">{incident.status}</dd>
        <dt>Severity and type</dt>
        <dd>
          {incident.severity} · {incident.type}
        </dd>
        <dt>Components</dt>
        <dd>{incident.components.length > 0 ? incident.components.join(', ') : 'none named'}</dd>
        <dt>Started</dt>
        <dd>{utcTime(incident.startedAt)}</dd>
        <dt>Resolved</dt>
        <dd>{incident.resolvedAt ? utcTime(incident.resolvedAt) : 'not yet'}</dd>
      </dl>
      <p class="actions">
        <a href={`/admin/incidents/${incident.id}/report`} id="incident-report-link">
          Incident report
        </a>
        <a href="/admin/incidents">All incidents</a>
      </p>
      {incident.status === 'resolved' ? null : <UpdateForms id={incident.id} status={incident.status} />}
      <h2>Timeline</h2>
      <ol id="incident-timeline">
        {timeline.map((e) => (
          <li>
            <strong>{utcTime(e.at)}</strong> {e.kind}
            {e.status ? ` (${e.status})` : ''}
            {e.public ? ' · public' : ''} · {e.actor}: {e.message}
          </li>
        ))}
      </ol>
    </AdminPage>
  );
}

/** /admin/incidents/<id>/report: the runbook's incident report, as `polaris incident report` writes it. */
export function AdminIncidentReportPage(props: AdminShell & { id: string; markdown: string }) {
  return (
    <AdminPage title={`${incidentLabel(props.id)} report`} current="incidents" {...props}>
      <p class="actions">
        <a href={`/admin/incidents/${props.id}`}>Back to the incident</a>
        <a href={`/api/admin/incidents/${props.id}/report?format=md`}>Markdown</a>
      </p>
      <pre id="incident-report" class="report">
        {props.markdown}
      </pre>
    </AdminPage>
  );
}
