import {
  type AlertReadings,
  type AlertVerdict,
  durationMs,
  judgeReadings,
} from '../../domain/alert-rules.ts';
import type { ServiceContext } from '../context.ts';
import { getFlags } from '../flags/get-flags.ts';

/** The checkout route (POST starts a subscription checkout) and Razorpay's webhook route, as the request log records them. */
export const CHECKOUT_PATH = '/api/subscriptions';
export const WEBHOOK_PATH = '/api/webhooks/razorpay';

/** Reads what the database-backed rules need, each over its policy window ending at `ctx.now()`. */
export async function readAlertReadings(ctx: ServiceContext): Promise<AlertReadings> {
  const a = ctx.policy.alerts;
  const now = ctx.now();
  const ago = (d: string) => new Date(now.getTime() - durationMs(d));
  const repo = ctx.repos.alerts;
  const flags = await getFlags({ ctx });
  const pending = await repo.pendingWebhooks();
  return {
    payments: await repo.paymentAttempts(ago(a.paymentFailureRate.window)),
    checkout: {
      lastStatuses: await repo.lastStatuses(
        CHECKOUT_PATH,
        'POST',
        ago(a.paymentsImpossible.window),
        a.paymentsImpossible.checkoutFailuresInARow,
      ),
      paymentsOn: !flags.byName.payments.active,
      otherOpenIncidents: await repo.openIncidentsExcept('payments-impossible'),
    },
    webhooks: await repo.webhookOutcomes(ago(a.webhookFailures.window), a.webhookFailures.inARow),
    backlog: {
      pending: pending.pending,
      oldestPendingSeconds: pending.oldest
        ? Math.max(0, (now.getTime() - pending.oldest.getTime()) / 1000)
        : 0,
    },
    signatures: { failures: await repo.countStatus(WEBHOOK_PATH, 401, ago(a.signatureFailures.window)) },
  };
}

/** Every database-backed rule's verdict right now (the database-unreachable rule is judged by the caller). */
export async function readAlertVerdicts(ctx: ServiceContext): Promise<AlertVerdict[]> {
  return judgeReadings(await readAlertReadings(ctx), ctx.policy.alerts);
}
