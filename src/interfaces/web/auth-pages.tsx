import type { ServiceContext } from '../../services/context.ts';
import type { RouteModule } from '../http/app.ts';
import { route } from '../http/routing.ts';
import { ResetPasswordPage } from './reset-password-page.tsx';

/** The account pages of a visitor: sign-up, sign-in, sign-out and password reset. */
export function authPages(_ctx: ServiceContext): RouteModule {
  return (app) => {
    // The token stays out of logs and referrers: request logs keep the path only, and the page sends no Referer.
    route(app, '/reset-password', {
      GET: (c) => c.html(<ResetPasswordPage token={c.req.query('token') ?? ''} />),
    });
  };
}
