import type { ServiceContext } from '../context.ts';
import { announceIncidentUpdates } from './announce-incident-updates.ts';
import { type DeliveryReport, deliverNotifications } from './deliver-notifications.ts';
import { warnAffectedUsers } from './warn-affected-users.ts';

/** What one notifications tick did. */
export type NotificationJobsReport = {
  updates: { updates: number; queued: number };
  affected: { incidents: number; queued: number };
  delivered: DeliveryReport;
};

/**
 * One tick of the notification jobs, in order: queue public updates for subscribers, queue the
 * Service Outage mail for newly affected users, then deliver what is due (the scheduler's job).
 */
export async function runNotificationJobs({ ctx }: { ctx: ServiceContext }): Promise<NotificationJobsReport> {
  const updates = await announceIncidentUpdates({ ctx });
  const affected = await warnAffectedUsers({ ctx });
  const delivered = await deliverNotifications({ ctx });
  return { updates, affected, delivered };
}
