import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../../services/context.ts';
import { resolveCaller } from '../../services/users/resolve-caller.ts';
import type { AppEnv, Caller } from './env.ts';

/** Sets c.get('caller') from the session cookie or `Authorization: Bearer $ADMIN_TOKEN`, else null. */
export function sessionMiddleware(ctx: ServiceContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('caller', await resolveCaller({ ctx, input: { headers: c.req.raw.headers } }));
    await next();
  };
}

/** The signed-in caller, or AppError 'unauthorized' (401). */
export function requireCaller(c: Context<AppEnv>): Caller {
  const caller = c.get('caller');
  if (!caller) throw new AppError('unauthorized', 'sign in first');
  return caller;
}

/** An admin caller (admin session or ADMIN_TOKEN): 401 when anonymous, 403 for other users. */
export function requireAdmin(c: Context<AppEnv>): Caller {
  const caller = requireCaller(c);
  if (caller.role !== 'admin') throw new AppError('forbidden', 'admins only');
  return caller;
}
