import type { NotificationTemplate } from './notifications.ts';

/** Figures a template fills in: the request's vars plus what the recipient's copy adds. */
export type TemplateVars = Record<string, string | number | null | undefined>;

/** Where the user-facing messages point. */
export type SiteLinks = { statusUrl: string; supportAddress: string };

/** A rendered message: one subject and a plain-text body. */
export type RenderedMessage = { subject: string; text: string };

const text = (vars: TemplateVars, name: string, fallback: string): string => {
  const value = vars[name];
  return value === undefined || value === null || String(value).trim() === '' ? fallback : String(value);
};

/** `2026-11-30 05:00 UTC` from an ISO time (as given when it cannot be read). */
export function utcTime(raw: string | number | null | undefined): string {
  if (raw === undefined || raw === null || raw === '') return 'unknown';
  const at = new Date(typeof raw === 'number' ? raw : String(raw));
  if (Number.isNaN(at.getTime())) return String(raw);
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2 h 30 min` between two ISO times. */
function span(from: TemplateVars[string], to: TemplateVars[string]): string {
  const ms = new Date(String(to)).getTime() - new Date(String(from)).getTime();
  if (!Number.isFinite(ms) || ms <= 0) return 'unknown';
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h > 0 ? `${h} h` : '', m > 0 || h === 0 ? `${m} min` : ''].filter(Boolean).join(' ');
}

const UNITS: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day' };

/** `30 minutes` from the policy's `30m` (anything else as given). */
export function readable(duration: string): string {
  const match = /^(\d+)\s*([smhd])$/.exec(duration.trim());
  if (!match?.[1] || !match[2]) return duration;
  const n = Number(match[1]);
  return `${n} ${UNITS[match[2]]}${n === 1 ? '' : 's'}`;
}

const label = (vars: TemplateVars) => `INC-${text(vars, 'incidentId', '?')}`;
const listOf = (vars: TemplateVars, name: string) =>
  text(vars, name, '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);

// The runbook's "Service Outage" impact lines, kept only where the incident's components make them true.
function outageImpact(components: string[]): string[] {
  const payments = components.length === 0 || components.includes('checkout');
  const lines = payments ? ['Unable to process new subscription payments'] : [];
  lines.push('Existing subscriptions remain active');
  if (!components.some((c) => c === 'web' || c === 'api' || c === 'database')) {
    lines.push('Blueprint creation continues to work');
  } else {
    lines.push(`Also affected: ${components.filter((c) => c !== 'checkout').join(', ')}`);
  }
  return lines;
}

function footer(vars: TemplateVars, site: SiteLinks): string[] {
  const lines = ['', `Status Page: ${site.statusUrl}`, `Support: ${site.supportAddress}`];
  const unsubscribe = text(vars, 'unsubscribeUrl', '');
  if (unsubscribe) lines.push('', `Unsubscribe from status updates: ${unsubscribe}`);
  return lines;
}

type Renderer = (vars: TemplateVars, site: SiteLinks) => RenderedMessage;

const RENDERERS: Record<NotificationTemplate, Renderer> = {
  'incident-page': (vars) => ({
    subject:
      `[${text(vars, 'severity', 'incident').toUpperCase()}] ${label(vars)} ${text(vars, 'title', '')}`.trim(),
    text: [
      `${label(vars)}: ${text(vars, 'title', '(no title)')}`,
      `Severity: ${text(vars, 'severity', 'unknown')}   Type: ${text(vars, 'type', 'unknown')}`,
      `Components: ${listOf(vars, 'components').join(', ') || 'not named'}`,
      `Started: ${utcTime(vars.startedAt)}   Detected: ${utcTime(vars.detectedAt)}`,
      `Escalation level ${text(vars, 'level', '1')} (${text(vars, 'role', 'on-call engineer')}): respond within ${readable(text(vars, 'responseTime', 'the policy response time'))}.`,
      '',
      `Acknowledge: polaris incident ack ${text(vars, 'incidentId', '<id>')}`,
      `Details:     polaris incident show ${text(vars, 'incidentId', '<id>')}`,
    ].join('\n'),
  }),
  'status-update-due': (vars) => ({
    subject: `${label(vars)} status update due (every ${text(vars, 'cadence', '?')})`,
    text: [
      `${label(vars)}: ${text(vars, 'title', '(no title)')} (${text(vars, 'severity', 'unknown')})`,
      `No public status update since ${utcTime(vars.lastUpdateAt)}; the policy asks for one every ${readable(text(vars, 'cadence', '?'))}.`,
      '',
      `Post one: polaris incident update ${text(vars, 'incidentId', '<id>')} --status <status> --message "…" --public`,
    ].join('\n'),
  }),
  'service-outage': (vars, site) => ({
    subject: 'SmartSlate Service Outage - Payment Processing Issues',
    text: [
      'Dear SmartSlate User,',
      '',
      'We are currently experiencing technical difficulties with our payment processing system. Our team is actively working to resolve the issue.',
      '',
      `Incident: ${label(vars)}, since ${utcTime(vars.startedAt)}`,
      '',
      'Impact:',
      ...outageImpact(listOf(vars, 'components')).map((l) => `- ${l}`),
      '',
      vars.eta
        ? `ETA: We expect to restore service within ${text(vars, 'eta', '')}.`
        : `ETA: not known yet; our next update will be on the status page within ${readable(text(vars, 'nextUpdateWithin', '1h'))}.`,
      '',
      'We apologize for the inconvenience and appreciate your patience.',
      ...footer(vars, site),
    ].join('\n'),
  }),
  'incident-update': (vars, site) => ({
    subject:
      `[SmartSlate status] ${label(vars)} ${text(vars, 'status', 'update')}: ${text(vars, 'title', '')}`.trim(),
    text: [
      'Dear SmartSlate User,',
      '',
      `${label(vars)}: ${text(vars, 'title', '(no title)')}`,
      `Status: ${text(vars, 'status', 'update')} (${utcTime(vars.at)})`,
      '',
      text(vars, 'message', ''),
      ...footer(vars, site),
    ].join('\n'),
  }),
  'maintenance-notice': (vars, site) =>
    maintenance(vars, site, 'Scheduled Maintenance - SmartSlate Platform'),
  'maintenance-reminder': (vars, site) =>
    maintenance(vars, site, 'Reminder: Scheduled Maintenance - SmartSlate Platform'),
  'status-subscribe-confirm': (vars, site) => ({
    subject: 'Confirm your SmartSlate status updates',
    text: [
      'Someone (we hope you) asked for email updates from the SmartSlate status page.',
      '',
      `Confirm: ${text(vars, 'confirmUrl', site.statusUrl)}`,
      '',
      'If it was not you, ignore this mail: nothing is sent until the link is opened.',
    ].join('\n'),
  }),
};

function maintenance(vars: TemplateVars, site: SiteLinks, subject: string): RenderedMessage {
  const startsAt = utcTime(vars.startsAt);
  return {
    subject,
    text: [
      'Dear SmartSlate User,',
      '',
      'We will be performing scheduled maintenance on the SmartSlate platform.',
      '',
      `Date: ${startsAt.slice(0, 10)}`,
      `Time: ${startsAt.slice(11, 16)} - ${utcTime(vars.endsAt).slice(11, 16)} (UTC)`,
      `Duration: ${span(vars.startsAt, vars.endsAt)}`,
      '',
      'Impact:',
      '- Brief service interruptions expected',
      '- Payment processing temporarily unavailable',
      '- Some features may be unavailable',
      ...(text(vars, 'message', '') ? ['', text(vars, 'message', '')] : []),
      '',
      'We recommend saving your work before the maintenance window.',
      '',
      'Thank you for your understanding.',
      ...footer(vars, site),
    ].join('\n'),
  };
}

/** Renders one template with the incident's (or window's) figures; missing figures say so. */
export function renderTemplate(
  template: NotificationTemplate,
  vars: TemplateVars,
  site: SiteLinks,
): RenderedMessage {
  return RENDERERS[template](vars, site);
}
