import type { ServiceContext } from '../context.ts';
import { queueNotification } from './enqueue-notification.ts';

/**
 * The job sending the runbook's "Service Outage" mail to users a payment incident touches (failed
 * payments, subscriptions gone pending or halted since it started). Runs while it is open; each
 * run reaches only users not told yet (key `service-outage:<incident>`).
 */
export async function warnAffectedUsers({
  ctx,
}: {
  ctx: ServiceContext;
}): Promise<{ incidents: number; queued: number }> {
  const open = await ctx.repos.incidents.list({ open: true, limit: 200 });
  const payment = open.filter((i) => i.type === 'payment' || i.type.startsWith('payment.'));
  let queued = 0;
  for (const incident of payment) {
    const result = await ctx.transaction((repos) =>
      queueNotification(ctx, repos, {
        key: `service-outage:${incident.id}`,
        template: 'service-outage',
        audience: { kind: 'affected-users', incidentId: incident.id },
        vars: {
          incidentId: incident.id,
          title: incident.title,
          severity: incident.severity,
          components: incident.components.join(','),
          startedAt: incident.startedAt.toISOString(),
          nextUpdateWithin: ctx.policy.statusUpdateCadence[incident.severity],
        },
        incidentId: incident.id,
      }),
    );
    queued += result.queued;
  }
  return { incidents: payment.length, queued };
}
