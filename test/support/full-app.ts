import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { answerClientErrors } from '../../src/interfaces/http/client-error.ts';
import { createPolarisApp } from '../../src/interfaces/http/polaris-app.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { checkReadiness } from '../../src/services/health/check-readiness.ts';

/** The HTTP app exactly as src/main.ts composes it. */
export function fullApp(ctx: ServiceContext) {
  return createPolarisApp(ctx, { log: ctx.log, readiness: () => checkReadiness({ ctx }) });
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
