import type { MiddlewareHandler } from 'hono';
import { refusalError, refuseWrite, type WriteKind } from '../../domain/flags.ts';
import type { ServiceContext } from '../../services/context.ts';
import { getFlags } from '../../services/flags/get-flags.ts';
import type { AppEnv } from './env.ts';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Razorpay's deliveries are stored whatever the mode (processing holds itself in read-only);
// health never writes; the admin flags API must stay writable to lift a mode.
// The cron tick drives inbox processing, which holds itself in read-only (process-inbox).
const EXEMPT_PREFIXES = ['/api/webhooks/', '/api/health', '/api/cron/'];
// Operator writes, admins only (the routes check): the flags, incidents, which an on-call
// engineer runs during the very shutdown that turned read-only on, and maintenance windows;
// the admin console's flag and webhook-retry forms (a retry still refuses itself in read-only),
// and its incident, user and database forms, which run like their CLI commands.
const OPERATOR_PREFIXES = [
  '/api/admin/flags',
  '/api/admin/incidents',
  '/api/admin/maintenance',
  '/admin/flags',
  '/admin/webhooks',
  '/admin/incidents',
  '/admin/users',
  '/admin/db',
];
// Maintenance lets people sign in and out (the API and the pages' forms), and subscribe to the
// status page (the very time they want its updates); read-only refuses these too (a session or a
// subscription is a row).
const SESSION_PATHS = new Set([
  '/api/auth/sign-in/email',
  '/api/auth/sign-out',
  '/sign-in',
  '/sign-out',
  '/status/subscribe',
  '/status/unsubscribe',
]);

const under = (path: string, prefix: string) =>
  path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

/** What a request would change, or null for a read (reads are never refused and never read the flags). */
export function writeKindOf(method: string, path: string): WriteKind | null {
  if (READS.has(method)) return null;
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (EXEMPT_PREFIXES.some((prefix) => under(clean, prefix))) return 'exempt';
  if (OPERATOR_PREFIXES.some((prefix) => under(clean, prefix))) return 'flags';
  if (SESSION_PATHS.has(clean)) return 'session';
  return 'data';
}

/**
 * The kill switches at the door: a write is refused with 503 maintenance or read_only (and
 * Retry-After) by domain/flags.ts refuseWrite. Reads the flags once per write, never for reads,
 * and keeps them in c.var.flags for the route (payments); a database that cannot say is a 503.
 */
export function flagGuard(
  ctx: Pick<ServiceContext, 'flags' | 'settings' | 'now'>,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const kind = writeKindOf(c.req.method, c.req.path);
    if (kind === null || kind === 'exempt') return next();
    const view = await getFlags({ ctx });
    const refusal = refuseWrite(view, { kind, admin: c.get('caller')?.role === 'admin' }, ctx.now());
    if (refusal) throw refusalError(refusal);
    c.set('flags', view);
    return next();
  };
}
