import { formatDuration, type IncidentReport, rupees } from './incident-report.ts';

const when = (at: Date | null) => (at ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : 'not yet');
const SEVERITY = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' } as const;
const NONE = '_None recorded (add a note: `polaris incident note <id> --tag <tag> --message …`)._';

const bullets = (items: string[], empty = NONE) => (items.length > 0 ? items.map((i) => `- ${i}`) : [empty]);
const steps = (items: string[]) => (items.length > 0 ? items.map((s, i) => `${i + 1}. ${s}`) : [NONE]);

function assessment(r: IncidentReport): string[] {
  const f = r.figures;
  const loss = f.dataLoss;
  const verify = loss.verify.ok ? 'db verify clean' : `db verify failed: ${loss.verify.failed.join(', ')}`;
  const lossWord = loss.lost ? 'Yes' : loss.pendingEvents > 0 ? 'Not yet known' : 'No';
  return [
    `- Number of users affected: ${f.usersAffected} (${f.usersWithFailedPayments} with failed payments, ${f.usersWithChangedSubscriptions} with subscription changes)`,
    `- Revenue impact: ${rupees(f.failedPayments.paise)} in ${f.failedPayments.count} failed payments; ${rupees(f.refunds.paise)} refunded in ${f.refunds.count} refunds`,
    `- Data loss: ${lossWord} (${loss.failedEvents} failed and ${loss.pendingEvents} pending webhook events in the window; ${verify})`,
    `- Security impact: ${f.security.impact ? `Yes (${f.security.reasons.join('; ')})` : 'No'}`,
  ];
}

/** The runbook's Incident Report Template, filled in, as Markdown. */
export function incidentReportMarkdown(r: IncidentReport): string {
  const d = r.durations;
  const end = r.window.open ? 'ongoing' : when(r.window.to);
  const lines = [
    '# Incident Report',
    '',
    `**Incident ID**: ${r.label}`,
    `**Date**: ${r.window.from.toISOString().slice(0, 10)}`,
    `**Severity**: ${SEVERITY[r.severity]}`,
    `**Duration**: ${when(r.window.from)} - ${end}${r.window.open ? '' : ` (${formatDuration(d.total)})`}`,
    `**Type**: ${r.type} · **Status**: ${r.status} · **Commander**: ${r.commander ?? 'none'}`,
    '',
    '## Summary',
    r.title,
    '',
    ...r.summary,
    '',
    '## Impact',
    ...r.impact,
    '',
    '## Timeline',
    ...r.keyTimes.map((k) => `- ${when(k.at)}: ${k.label} (${k.source})`),
    '',
    `Time to detect: ${formatDuration(d.ttd)} · time to acknowledge: ${formatDuration(d.tta)} · time to resolve: ${formatDuration(d.ttr)}`,
    '',
    'Every entry:',
    '',
    ...r.timeline.map((e) => `- ${when(e.at)} [${e.kind}] ${e.message} (${e.actor})`),
    '',
    '## Root Cause Analysis',
    ...bullets(r.rootCause),
    '',
    '## Resolution Steps',
    ...steps(r.resolutionSteps),
    '',
    '## Impact Assessment',
    ...assessment(r),
    '',
    '## Lessons Learned',
    ...bullets(r.lessons),
    '',
    '## Preventive Measures',
    ...bullets(r.prevention),
    '',
    '## Follow-up Actions',
    ...bullets(r.followUps),
    '',
  ];
  return lines.join('\n');
}
