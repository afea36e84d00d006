import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { answerClientErrors } from '../../src/interfaces/http/client-error.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { composeProductApp } from '../../src/wiring/http.ts';

/** The CRON_SECRET of test apps. */
export const TEST_CRON_SECRET = 'test-cron-secret-0123456789';

/** The HTTP app exactly as src/main.ts composes it, with a metrics registry of its own. */
export function fullApp(
  ctx: ServiceContext,
  options: Pick<Parameters<typeof composeProductApp>[1], 'cronBudgetMs' | 'requestLog'> = {},
) {
  return composeProductApp(ctx, { log: ctx.log, cronSecret: TEST_CRON_SECRET, ...options }).app;
}

/** Serves the full app on a loopback port, so the emulator can deliver webhooks to it. */
export async function serveFullApp(ctx: ServiceContext) {
  const app = fullApp(ctx);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  answerClientErrors(server, ctx.log);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
