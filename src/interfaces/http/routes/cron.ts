import type { Handler } from 'hono';
import { AppError } from '../../../domain/errors.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { runCronTick, type ScheduledJob } from '../../../services/schedule/run-cron-tick.ts';
import type { ProcessInboxOutcome } from '../../../services/webhooks/process-inbox.ts';
import type { RouteModule } from '../app.ts';
import type { AppEnv } from '../env.ts';
import { route } from '../routing.ts';

/** What the tick route needs from the composition root. */
export type CronOptions = {
  /** Constant-time check of a presented bearer token against CRON_SECRET or ADMIN_TOKEN. */
  authorize: (token: string) => boolean;
  budgetMs: number;
  jobs: ScheduledJob[];
  onPass?: (outcome: ProcessInboxOutcome) => void;
};

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * POST /api/cron/tick, and GET because Vercel Cron calls with GET: with `Authorization: Bearer
 * $CRON_SECRET` (or ADMIN_TOKEN) it runs the scheduled jobs and the inbox within the time budget and answers what
 * it did; anything else is 401.
 */
export function cronRoutes(ctx: ServiceContext, options: CronOptions): RouteModule {
  const tick: Handler<AppEnv> = async (c) => {
    const token = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token || !options.authorize(token)) {
      throw new AppError(
        'unauthorized',
        'the cron tick needs Authorization: Bearer $CRON_SECRET (or $ADMIN_TOKEN)',
      );
    }
    const report = await runCronTick({
      ctx,
      input: { budgetMs: options.budgetMs, jobs: options.jobs, onPass: options.onPass },
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ ok: true, ...report }, 200);
  };
  return (app) => route(app, '/api/cron/tick', { GET: tick, POST: tick });
}
