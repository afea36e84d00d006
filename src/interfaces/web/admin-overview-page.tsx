import { FLAG_LABELS } from '../../domain/flags.ts';
import { incidentLabel } from '../../domain/incidents.ts';
import type { AdminOverview, SuccessRate } from '../../services/admin/read-admin-overview.ts';
import type { Caller } from '../http/env.ts';
import { AdminPage } from './admin-layout.tsx';
import { utcTime } from './status-sections.tsx';

const percent = (s: SuccessRate) => (s.rate === null ? 'no payments' : `${(s.rate * 100).toFixed(1)}%`);
const detail = (s: SuccessRate) => `${s.attempts - s.failed} of ${s.attempts} succeeded`;

/** How long ago, as an operator reads it: 45 s, 12 min, 3 h, 2 d. */
export function ageText(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

function Stat(props: { id: string; label: string; value: string; hint?: string | undefined }) {
  return (
    <div class="stat">
      <div>{props.label}</div>
      <div class="value" id={props.id}>
        {props.value}
      </div>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
    </div>
  );
}

/** /admin: the figures an on-call engineer looks at first. */
export function AdminOverviewPage(props: { caller: Caller; view: AdminOverview }) {
  const { view } = props;
  const oldest = view.backlog.oldest;
  const drill = view.lastDrill;
  return (
    <AdminPage title="Overview" current="overview" caller={props.caller} flags={view.flags}>
      <section aria-labelledby="h-payments">
        <h2 id="h-payments">Payments and webhooks</h2>
        <div class="stats">
          <Stat
            id="stat-success-15m"
            label="Payment success, 15 min"
            value={percent(view.success15m)}
            hint={detail(view.success15m)}
          />
          <Stat
            id="stat-success-24h"
            label="Payment success, 24 h"
            value={percent(view.success24h)}
            hint={detail(view.success24h)}
          />
          <Stat
            id="stat-backlog"
            label="Webhook backlog"
            value={String(view.backlog.pending)}
            hint="pending or processing"
          />
          <Stat
            id="stat-oldest-pending"
            label="Oldest pending"
            value={oldest ? ageText(oldest.ageSeconds) : 'none'}
            hint={oldest ? `${oldest.eventId} (${oldest.type})` : undefined}
          />
          <Stat id="stat-failed-events" label="Failed events, 24 h" value={String(view.failedEvents24h)} />
        </div>
        <p>
          <a href="/admin/webhooks?status=failed">Failed webhook events</a>
        </p>
      </section>
      <section aria-labelledby="h-flags">
        <h2 id="h-flags">Flags</h2>
        <ul id="admin-flags">
          {view.flags.flags.map((f) => (
            <li id={`admin-flag-${f.name}`}>
              {`${FLAG_LABELS[f.name]} ${f.state}`} {f.active ? <span class="badge">active</span> : null}
              {f.active && f.expiresAt ? ` until ${utcTime(f.expiresAt)}` : ''}
              {f.source === 'env' ? ' (PAYMENTS_ENABLED=false)' : ''}
            </li>
          ))}
        </ul>
        <p>
          <a href="/admin/flags">Change flags</a>
        </p>
      </section>
      <section aria-labelledby="h-incidents">
        <h2 id="h-incidents">Open incidents</h2>
        <div id="open-incidents">
          {view.openIncidents.length === 0 ? (
            <p>None open.</p>
          ) : (
            <ul>
              {view.openIncidents.map((i) => (
                <li>
                  <a href={`/admin/incidents/${i.id}`}>{incidentLabel(i.id)}</a>{' '}
                  <span class="badge">{i.severity}</span> {i.title} ({i.status}, since {utcTime(i.detectedAt)}
                  )
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>
      <section aria-labelledby="h-db">
        <h2 id="h-db">Database</h2>
        <dl>
          <dt>Last verify</dt>
          <dd id="last-verify">
            {view.lastVerify
              ? `${view.lastVerify.action}${view.lastVerify.ok === null ? '' : view.lastVerify.ok ? ' (clean)' : ' (checks failed)'} by ${view.lastVerify.actor}, ${utcTime(view.lastVerify.at)}`
              : 'none in 30 days: run one from /admin/db or with polaris db verify'}
          </dd>
          <dt>Last drill</dt>
          <dd id="last-drill">
            {drill
              ? `${drill.ok ? 'passed' : 'FAILED'} on ${drill.engine}, ${utcTime(new Date(drill.started_at))}, recovery ${Math.round(drill.recovery_ms / 1000)} s`
              : 'no drill yet (polaris db drill)'}
          </dd>
        </dl>
      </section>
    </AdminPage>
  );
}
