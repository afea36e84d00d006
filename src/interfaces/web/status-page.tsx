import { HISTORY_DAYS } from '../../domain/status.ts';
import type { StatusView } from '../../services/status/status-cache.ts';
import {
  ComponentList,
  IncidentCard,
  MaintenanceList,
  PastIncidents,
  UptimeBars,
  utcTime,
} from './status-sections.tsx';

// No script: everything reads without JavaScript; colours repeat what the words say (WCAG AA contrast).
const STYLE = [
  'body{font-family:system-ui,sans-serif;max-width:760px;margin:0 auto;padding:1em;line-height:1.45;color:#1b1b1b}',
  'h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}h3,h4{margin:.4em 0}',
  '.rows{list-style:none;padding:0;margin:0}.rows li,p.rows{display:flex;justify-content:space-between;gap:1em;flex-wrap:wrap;padding:8px 0;border-bottom:1px solid #ddd;margin:0}',
  '.state{font-weight:600}.s-operational{color:#1a6b32}.s-degraded_performance{color:#8a5a00}',
  '.s-partial_outage{color:#b34700}.s-major_outage{color:#b00020}.s-under_maintenance{color:#1f4fa3}',
  '#overall{padding:12px;border-radius:4px;font-weight:600;font-size:1.1em;color:#fff;background:#1a6b32}',
  '#overall.i-minor{background:#8a5a00}#overall.i-major{background:#b34700}#overall.i-critical{background:#b00020}#overall.i-maintenance{background:#1f4fa3}',
  '#stale{padding:8px 12px;background:#fff4ce;border:1px solid #e0b400}',
  '.incident{border-left:4px solid #999;padding:4px 12px;margin:12px 0}.i-critical{border-color:#b00020}.i-high{border-color:#b34700}',
  '.i-medium,.i-low{border-color:#8a5a00}.i-maintenance{border-color:#1f4fa3}.meta{color:#555;margin:0}',
  '.updates{padding-left:1.2em}time{color:#555;white-space:nowrap}',
  '.bars{display:flex;gap:1px;list-style:none;padding:0;margin:4px 0 0;height:28px}',
  '.bars span{flex:1;min-width:1px;background:#1a6b32}.bars span.s-none{background:#ccc}',
  '.bars span.s-degraded_performance{background:#c98a00}.bars span.s-partial_outage{background:#d9661a}',
  '.bars span.s-major_outage{background:#b00020}.bars span.s-under_maintenance{background:#1f4fa3}',
  '.ends{display:flex;justify-content:space-between;color:#555;font-size:.85em;margin:2px 0 12px}',
  'form{display:flex;gap:.5em;flex-wrap:wrap;align-items:center}input{padding:6px;min-width:0;flex:1 1 12em}button{padding:6px 12px}',
].join('');

/** GET /status: the public status page, server-rendered; the last known state (marked so) when the database cannot say. */
export function StatusPage(props: { view: StatusView }) {
  const { snapshot, stale } = props.view;
  const open = snapshot?.incidents.filter((i) => i.status !== 'resolved') ?? [];
  const past = snapshot?.incidents.filter((i) => i.status === 'resolved') ?? [];
  const upcoming = snapshot?.maintenance.filter((w) => w.phase !== 'completed') ?? [];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Status · SmartSlate Polaris</title>
        <link rel="alternate" type="application/atom+xml" title="Status updates" href="/status/feed.atom" />
        <style>{STYLE}</style>
      </head>
      <body>
        <header>
          <h1>SmartSlate Polaris status</h1>
        </header>
        <main>
          {stale ? (
            <div id="stale" role="alert">
              <p>
                <strong>Last known state</strong>
                {stale.asOf ? `, as of ${utcTime(stale.asOf)}` : ''}: {stale.reason}. This page shows the live
                state again as soon as it can read it.
              </p>
            </div>
          ) : null}
          {snapshot ? (
            <>
              <p id="overall" class={`i-${snapshot.status.indicator}`}>
                {snapshot.status.description}
              </p>
              <p class="meta">
                Updated <time datetime={snapshot.asOf.toISOString()}>{utcTime(snapshot.asOf)}</time>
              </p>
              <section aria-labelledby="h-components">
                <h2 id="h-components">Components</h2>
                <ComponentList components={snapshot.components} />
              </section>
              <section aria-labelledby="h-open">
                <h2 id="h-open">Open incidents</h2>
                {open.length === 0 ? (
                  <p id="no-incidents">No open incidents.</p>
                ) : (
                  <div id="open-incidents">
                    {open.map((i) => (
                      <IncidentCard incident={i} level="h3" />
                    ))}
                  </div>
                )}
              </section>
              <section aria-labelledby="h-maintenance">
                <h2 id="h-maintenance">Scheduled maintenance</h2>
                <MaintenanceList windows={upcoming} />
              </section>
              <section aria-labelledby="h-uptime">
                <h2 id="h-uptime">Uptime, last {HISTORY_DAYS} days</h2>
                <UptimeBars bars={snapshot.uptime} />
              </section>
              <section aria-labelledby="h-history">
                <h2 id="h-history">Past incidents</h2>
                <PastIncidents incidents={past} />
              </section>
            </>
          ) : (
            <p id="overall" class="i-minor">
              Status temporarily unavailable
            </p>
          )}
          <section aria-labelledby="h-subscribe">
            <h2 id="h-subscribe">Get updates</h2>
            <form method="post" action="/status/subscribe">
              <label for="subscribe-email">Email</label>
              <input id="subscribe-email" name="email" type="email" autocomplete="email" required />
              <button type="submit">Subscribe</button>
            </form>
            <p>
              We email you to confirm first; every message has a one-click unsubscribe. Or follow the{' '}
              <a href="/status/feed.atom">Atom feed</a>, or read the <a href="/api/v2/summary.json">JSON</a>.
            </p>
          </section>
        </main>
      </body>
    </html>
  );
}
