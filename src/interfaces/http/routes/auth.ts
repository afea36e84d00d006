import type { ServiceContext } from '../../../services/context.ts';
import { handleAuthRequest } from '../../../services/users/handle-auth-request.ts';
import type { RouteModule } from '../app.ts';

/**
 * better-auth's own routes under /api/auth (DESIGN §11): POST sign-up/email, sign-in/email,
 * sign-out, GET get-session, and the session and password endpoints a signed-in user needs.
 */
export function authRoutes(ctx: ServiceContext): RouteModule {
  return (app) => {
    app.on(['GET', 'POST'], '/api/auth/*', (c) => handleAuthRequest({ ctx, input: { request: c.req.raw } }));
  };
}
