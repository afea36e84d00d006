import type { FlagsView } from '../../domain/flags.ts';
import { INBOX_STATUSES } from '../../domain/inbox-retry.ts';
import type { WebhookEventList } from '../../services/webhooks/list-webhook-events.ts';
import type { WebhookEventDetail } from '../../services/webhooks/show-webhook-event.ts';
import type { Caller } from '../http/env.ts';
import { Field } from './admin-flags-page.tsx';
import { AdminPage } from './admin-layout.tsx';
import type { PageProps } from './layout.tsx';
import { utcTime } from './status-sections.tsx';

/** The filter as the operator typed it (empty strings for fields left blank). */
export type WebhookFilterForm = { status: string; type: string; since: string };

const READ_ONLY_NOTE = 'Read-only mode holds webhook processing: retries are refused until it is lifted.';

function FilterForm(props: { filter: WebhookFilterForm }) {
  const { filter } = props;
  return (
    <form method="get" action="/admin/webhooks" id="webhook-filter" class="card">
      <div class="field">
        <label for="filter-status">Status</label>
        <select id="filter-status" name="status">
          <option value="" selected={filter.status === ''}>
            any
          </option>
          {INBOX_STATUSES.map((s) => (
            <option value={s} selected={filter.status === s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <Field
        id="filter-type"
        name="type"
        label="Type or family"
        value={filter.type}
        hint="payment.captured, or subscription for the whole family"
      />
      <Field
        id="filter-since"
        name="since"
        label="Received since"
        value={filter.since}
        hint="30m, 24h, 7d or an ISO date"
      />
      <button type="submit" class="secondary">
        Filter
      </button>
    </form>
  );
}

function RetryControls(props: { readOnly: boolean; id: string }) {
  return (
    <fieldset disabled={props.readOnly}>
      <legend>Retry through the inbox processor, oldest first</legend>
      {props.readOnly ? <p class="hint">{READ_ONLY_NOTE}</p> : null}
      <div class="field">
        <label for={`${props.id}-reason`}>Reason (optional, goes to the audit log)</label>
        <input id={`${props.id}-reason`} name="reason" type="text" />
      </div>
      <button type="submit" id={props.id}>
        Retry selected
      </button>
    </fieldset>
  );
}

/** /admin/webhooks: the inbox filtered, each event selectable for a retry. */
export function AdminWebhooksPage(props: {
  caller: Caller;
  flags: FlagsView;
  filter: WebhookFilterForm;
  list: WebhookEventList;
  notice: PageProps['notice'];
}) {
  const { list } = props;
  const readOnly = props.flags.byName.read_only.active;
  return (
    <AdminPage
      title="Webhooks"
      current="webhooks"
      caller={props.caller}
      flags={props.flags}
      notice={props.notice}
    >
      <FilterForm filter={props.filter} />
      <form method="post" action="/admin/webhooks/retry" id="webhook-retry">
        <p id="webhook-count">
          {list.total === list.events.length
            ? `${list.total} event${list.total === 1 ? '' : 's'}`
            : `${list.events.length} newest of ${list.total} events`}
        </p>
        <section class="table-wrap" aria-label="Webhook events" tabindex={0}>
          <table id="webhook-events">
            <caption class="visually-hidden">Webhook events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Select</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Received</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {list.events.length === 0 ? (
                <tr>
                  <td colspan={6}>No events match.</td>
                </tr>
              ) : null}
              {list.events.map((e) => (
                <tr id={`event-${e.eventId}`}>
                  <td>
                    <input
                      type="checkbox"
                      name="ids"
                      value={e.eventId}
                      id={`select-${e.eventId}`}
                      aria-label={`Select ${e.eventId}`}
                    />
                  </td>
                  <td>
                    <a href={`/admin/webhooks/${e.eventId}`}>{e.eventId}</a>
                    <br />
                    {e.type}
                  </td>
                  <td>
                    <span class="badge">{e.status}</span>
                  </td>
                  <td>{utcTime(e.receivedAt)}</td>
                  <td>{e.attempts}</td>
                  <td>{e.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <RetryControls readOnly={readOnly} id="retry-selected" />
      </form>
    </AdminPage>
  );
}

/** /admin/webhooks/<id>: one event, its raw payload and the operator retries that named it. */
export function AdminWebhookEventPage(props: {
  caller: Caller;
  flags: FlagsView;
  event: WebhookEventDetail;
}) {
  const { event } = props;
  const row = (label: string, value: string) => (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
  return (
    <AdminPage
      title={`Webhook event ${event.eventId}`}
      current="webhooks"
      caller={props.caller}
      flags={props.flags}
    >
      <dl id="webhook-event">
        {row('Type', event.type)}
        {row('Status', event.status)}
        {row('Entity', event.entityId ?? '')}
        {row('Attempts', String(event.attempts))}
        {row('Last error', event.lastError ?? 'none')}
        {row('Received', utcTime(event.receivedAt))}
        {row('Processed', event.processedAt ? utcTime(event.processedAt) : 'not yet')}
        {row('Next attempt', event.nextAttemptAt ? utcTime(event.nextAttemptAt) : 'none')}
      </dl>
      <h2>Operator retries</h2>
      {event.retries.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul id="webhook-retries">
          {event.retries.map((r) => (
            <li>
              {utcTime(r.at)} by {r.actor}
              {r.reason ? ` (${r.reason})` : ''}
            </li>
          ))}
        </ul>
      )}
      <form method="post" action="/admin/webhooks/retry">
        <input type="hidden" name="ids" value={event.eventId} />
        <RetryControls readOnly={props.flags.byName.read_only.active} id="retry-this" />
      </form>
      <h2>Raw payload</h2>
      <pre id="webhook-payload" style="white-space:pre-wrap">
        {event.payload}
      </pre>
      <p>
        <a href="/admin/webhooks">All events</a>
      </p>
    </AdminPage>
  );
}
