import type { Delivery } from '../../../services/notifications/list-notifications.ts';
import type { NotificationJobsReport } from '../../../services/notifications/run-notification-jobs.ts';
import { table } from '../table.ts';

const when = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '');

/** `polaris notifications list`: one row per delivery, newest first. */
export function deliveriesTable(deliveries: Delivery[], status: string | undefined): string[] {
  if (deliveries.length === 0) return [status ? `no ${status} notifications` : 'no notifications queued'];
  const rows = deliveries.map((d) => [
    d.id,
    d.status,
    d.channel,
    d.recipient,
    d.requestKey,
    d.attempts,
    d.status === 'sent' ? when(d.sentAt) : d.status === 'pending' ? `next ${when(d.nextAttemptAt)}` : '',
    d.lastError,
  ]);
  return [table(['id', 'status', 'channel', 'to', 'key', 'tries', 'when', 'last error'], rows)];
}

/** `polaris notifications retry`: what was requeued. */
export function retryLines(delivery: Delivery, was: string): string[] {
  return [
    `notification ${delivery.id} (${delivery.channel} to ${delivery.recipient}) was ${was}; queued again, due now`,
    '  next: polaris notifications deliver (or wait for the scheduler)',
  ];
}

/** `polaris notifications deliver`: what the tick did. */
export function jobsLines(report: NotificationJobsReport): string[] {
  const d = report.delivered;
  return [
    `public updates announced: ${report.updates.updates} (${report.updates.queued} deliveries queued)`,
    `payment incidents with affected users: ${report.affected.incidents} (${report.affected.queued} deliveries queued)`,
    `delivered: ${d.sent} sent, ${d.retrying} to retry, ${d.failed} failed, ${d.uncertain} now uncertain`,
  ];
}
