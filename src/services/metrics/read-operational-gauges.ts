import type { InboxBacklog, PaymentOutcomes } from '../../adapters/db/metrics-repo.ts';
import { AppError, type Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { withTimeout } from '../health/check-readiness.ts';

/** The windows the payment success rate is reported over. */
export const PAYMENT_WINDOWS = [
  { label: '5m', seconds: 300 },
  { label: '15m', seconds: 900 },
] as const;

/** What a scrape reads from the database: the inbox backlog and recent payment outcomes. */
export type OperationalGauges = {
  inbox: InboxBacklog;
  payments: ({ window: string } & PaymentOutcomes)[];
};

// A scrape must answer within Prometheus's timeout (10 s by default) even when the database hangs.
const READ_TIMEOUT_MS = 2_000;

/**
 * Reads the gauges GET /metrics needs from the database, at most READ_TIMEOUT_MS; fails as a Result
 * (database_unavailable) so the scrape can still answer with what lives in the process.
 */
export async function readOperationalGauges({
  ctx,
}: {
  ctx: Pick<ServiceContext, 'repos' | 'now'>;
}): Promise<Result<OperationalGauges>> {
  const read = async (): Promise<OperationalGauges> => {
    const inbox = await ctx.repos.metrics.inboxBacklog();
    const now = ctx.now().getTime();
    const payments = [];
    for (const window of PAYMENT_WINDOWS) {
      const since = new Date(now - window.seconds * 1000);
      payments.push({ window: window.label, ...(await ctx.repos.metrics.paymentOutcomes(since)) });
    }
    return { inbox, payments };
  };
  try {
    return { ok: true, value: await withTimeout(read(), READ_TIMEOUT_MS) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: new AppError('database_unavailable', `metrics from the database: ${reason}`) };
  }
}
