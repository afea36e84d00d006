import { AppError } from '../../domain/errors.ts';
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
export async function getWebhookStatus({ ctx }: { ctx: ServiceContext }): Promise<WebhookStatus> {
  const secretConfigured = ctx.settings.webhookSecrets.some((s) => s.length > 0);
  let summary: Awaited<ReturnType<typeof ctx.repos.inbox.summary>>;
  try {
    summary = await ctx.repos.inbox.summary();
  } catch (error) {
    if (error instanceof AppError) throw error;
    ctx.log.error({ err: error }, 'webhook status unavailable');
    throw new AppError('database_unavailable', 'the webhook inbox cannot be read');
  }
  return {
    ok: secretConfigured,
    secretConfigured,
    lastReceivedAt: summary.lastReceivedAt ? new Date(summary.lastReceivedAt).toISOString() : null,
    pending: summary.pending,
    failed: summary.failed,
  };
}
