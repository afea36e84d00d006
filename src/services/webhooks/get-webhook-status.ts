import { AppError, type Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';

/** What GET /api/webhooks/razorpay reports: never a secret, only whether one is set. */
export type WebhookStatus = {
  ok: boolean;
  secretConfigured: boolean;
  lastReceivedAt: string | null;
  pending: number;
  failed: number;
};

/** Summarises the inbox: whether a secret is set, the last receipt, the backlog and parked failures. */
export async function getWebhookStatus({ ctx }: { ctx: ServiceContext }): Promise<Result<WebhookStatus>> {
  const secretConfigured = ctx.settings.webhookSecrets.some((s) => s.length > 0);
  try {
    const summary = await ctx.repos.inbox.summary();
    return {
      ok: true,
      value: {
        ok: secretConfigured,
        secretConfigured,
        lastReceivedAt: summary.lastReceivedAt ? new Date(summary.lastReceivedAt).toISOString() : null,
        pending: summary.pending,
        failed: summary.failed,
      },
    };
  } catch (error) {
    ctx.log.error({ err: error }, 'webhook status unavailable');
    return { ok: false, error: new AppError('database_unavailable', 'the webhook inbox cannot be read') };
  }
}
