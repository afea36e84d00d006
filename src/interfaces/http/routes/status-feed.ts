import { Feed } from 'feed';
import { incidentLabel } from '../../../domain/incidents.ts';
import { COMPONENT_NAMES } from '../../../domain/status.ts';
import type { StatusView } from '../../../services/status/status-cache.ts';
import { anchorOf, maintenanceId, PAGE_NAME, statusUrl } from './status-shapes.ts';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * GET /status/feed.atom: one entry per published incident (its public updates, newest first) and
 * per maintenance window, updated when they last changed.
 */
export function statusAtom(view: StatusView, baseUrl: string): string {
  const page = statusUrl(baseUrl);
  const snapshot = view.snapshot;
  const feed = new Feed({
    id: page,
    title: `${PAGE_NAME} status`,
    link: page,
    updated: snapshot?.asOf ?? new Date(0),
    generator: 'Polaris',
    copyright: PAGE_NAME,
    feedLinks: { atom: `${page}/feed.atom` },
    ...(view.stale ? { description: `Last known state: ${view.stale.reason}` } : {}),
  });
  for (const incident of snapshot?.incidents ?? []) {
    const id = incidentLabel(incident.id);
    const updates = incident.updates
      .map(
        (u) =>
          `<p><strong>${escapeHtml(u.status)}</strong> (${u.at.toISOString()}): ${escapeHtml(u.message)}</p>`,
      )
      .join('');
    const affected = incident.components.map((c) => COMPONENT_NAMES[c]).join(', ');
    feed.addItem({
      id: `${page}#${anchorOf(id)}`,
      title: escapeHtml(`${incident.title} (${incident.status})`),
      link: `${page}#${anchorOf(id)}`,
      date: incident.updates[0]?.at ?? incident.updatedAt,
      published: incident.detectedAt,
      content: `${updates}${affected ? `<p>Affected: ${escapeHtml(affected)}</p>` : ''}`,
    });
  }
  for (const window of snapshot?.maintenance ?? []) {
    const id = maintenanceId(window.id);
    feed.addItem({
      id: `${page}#${anchorOf(id)}`,
      title: `Scheduled maintenance ${window.startsAt.toISOString()} to ${window.endsAt.toISOString()} (${window.phase})`,
      link: `${page}#${anchorOf(id)}`,
      date: window.updatedAt,
      published: window.createdAt,
      content: `<p>${escapeHtml(window.message)}</p>`,
    });
  }
  return feed.atom1();
}
