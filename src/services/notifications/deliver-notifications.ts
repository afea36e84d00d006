import type { Delivery, DeliveryOutcome } from '../../adapters/db/notifications-repo.ts';
import type { SendResult } from '../../adapters/notify/channel.ts';
import { nextAttemptAt, SENDING_LEASE_MS } from '../../domain/notification-retry.ts';
import type { ServiceContext } from '../context.ts';

/** What one delivery run did. */
export type DeliveryReport = { sent: number; retrying: number; failed: number; uncertain: number };

const BATCH = 20;
const MAX_BATCHES = 10;

async function sendOne(ctx: ServiceContext, delivery: Delivery): Promise<SendResult> {
  const channel = ctx.notifications.channels[delivery.channel];
  if (!channel) {
    const hint = delivery.channel === 'email' ? ' (set SMTP_URL)' : '';
    return {
      ok: false,
      failure: { kind: 'permanent', message: `no ${delivery.channel} channel configured${hint}` },
    };
  }
  return channel.send({
    deliveryId: delivery.id,
    requestKey: delivery.requestKey,
    recipient: delivery.recipient,
    subject: delivery.subject,
    text: delivery.body,
    unsubscribeUrl: delivery.unsubscribeUrl,
  });
}

function outcomeOf(ctx: ServiceContext, delivery: Delivery, result: SendResult): DeliveryOutcome {
  const now = ctx.now();
  if (result.ok) return { status: 'sent', at: now };
  const next = nextAttemptAt(now, delivery.attempts, result.failure);
  return next
    ? { status: 'pending', nextAttemptAt: next, error: result.failure.message }
    : { status: 'failed', error: result.failure.message };
}

/**
 * The outbox job: claims due deliveries (committed before anything is sent), sends each, marks it.
 * A delivery whose deliverer died between send and mark stays claimed; after the lease it becomes
 * uncertain and is never resent by itself, since it may have gone out (notifications retry <id>).
 */
export async function deliverNotifications({ ctx }: { ctx: ServiceContext }): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, uncertain: 0 };
  const stale = await ctx.repos.notifications.expireClaims(new Date(ctx.now().getTime() - SENDING_LEASE_MS));
  report.uncertain = stale.length;
  if (stale.length > 0) {
    ctx.log.warn(
      { deliveries: stale },
      'notifications left unmarked by a stopped deliverer are now uncertain',
    );
  }
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const claimed = await ctx.repos.notifications.claimDue(ctx.now(), BATCH);
    for (const delivery of claimed) {
      const outcome = outcomeOf(ctx, delivery, await sendOne(ctx, delivery));
      await ctx.repos.notifications.mark(delivery.id, outcome);
      if (outcome.status === 'sent') report.sent += 1;
      else if (outcome.status === 'pending') report.retrying += 1;
      else report.failed += 1;
      if (outcome.status !== 'sent') {
        ctx.log.warn(
          { delivery: delivery.id, channel: delivery.channel, error: outcome.error },
          'notification not delivered',
        );
      }
    }
    if (claimed.length < BATCH) break;
  }
  return report;
}
