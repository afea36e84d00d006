import type { AdminShell } from './admin-incidents-page.tsx';
import { AdminPage } from './admin-layout.tsx';
import { utcTime } from './status-sections.tsx';

/** One audit row as the page shows it. */
export type AuditRow = {
  id: number;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  details: unknown;
};

/** The filter as typed (echoed into the form only, never into the page's text). */
export type AuditFilterForm = { actor: string; action: string; since: string };

function FilterForm(props: { filter: AuditFilterForm }) {
  const f = props.filter;
  return (
    <form method="get" action="/admin/audit" id="audit-filter">
      <fieldset>
        <legend>Filter</legend>
        <div class="field">
          <label for="audit-actor">Actor</label>
          <input id="audit-actor" name="actor" value={f.actor} />
          <p class="hint">An email, admin-token, or cli:name.</p>
        </div>
        <div class="field">
          <label for="audit-action">Action</label>
          <input id="audit-action" name="action" value={f.action} />
          <p class="hint">An action such as user.disable, or a family such as user.</p>
        </div>
        <div class="field">
          <label for="audit-since">Since</label>
          <input id="audit-since" name="since" value={f.since} required />
          <p class="hint">A window such as 30m, 24h or 7d, or a past date such as 2026-11-29T08:00Z.</p>
        </div>
        <p class="actions">
          <button type="submit">Show</button>
        </p>
      </fieldset>
    </form>
  );
}

const detailsText = (details: unknown) => {
  const text = JSON.stringify(details ?? {});
  return text === '{}' ? '' : text;
};

/** /admin/audit: audit_log rows filtered by actor, action and since, newest first, paged. */
export function AdminAuditPage(
  props: AdminShell & { filter: AuditFilterForm; rows: AuditRow[]; next: string | null },
) {
  return (
    <AdminPage title="Audit log" current="audit" {...props}>
      <FilterForm filter={props.filter} />
      {props.rows.length === 0 ? (
        <p id="audit-rows">No audit row matches.</p>
      ) : (
        <div class="table-wrap">
          <table id="audit-rows">
            <thead>
              <tr>
                <th scope="col">At</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Reason and details</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <tr data-action={r.action}>
                  <td>{utcTime(r.at)}</td>
                  <td>{r.actor}</td>
                  <td>{r.action}</td>
                  <td>{r.target ?? ''}</td>
                  <td>
                    {r.reason ?? ''} <code>{detailsText(r.details)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.next ? (
        <p class="actions">
          <a href={props.next} rel="next">
            Older rows
          </a>
        </p>
      ) : null}
    </AdminPage>
  );
}
