import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { sessionWritesHeld } from '../flags/session-writes-held.ts';

/**
 * The better-auth endpoints Polaris serves under /api/auth. The admin plugin's own endpoints
 * (/api/auth/admin/*) are left out on purpose: admin actions go through Polaris's services, which
 * keep user_profiles.role authoritative and write the audit log.
 */
export const PUBLIC_AUTH_PATHS: ReadonlySet<string> = new Set([
  '/sign-up/email',
  '/sign-in/email',
  '/sign-out',
  '/get-session',
  '/list-sessions',
  '/revoke-session',
  '/revoke-sessions',
  '/revoke-other-sessions',
  '/update-user',
  '/change-password',
  '/reset-password',
]);

/**
 * Hands an /api/auth request to better-auth when its path is public; any other is not_found.
 * better-auth's refusals arrive as AppErrors (account_disabled, rate_limited, conflict, ...).
 */
export async function handleAuthRequest({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { request: Request; clientIp?: string | undefined };
}): Promise<Response> {
  const path = new URL(input.request.url).pathname.replace(/^\/api\/auth/, '').replace(/\/+$/, '');
  if (!PUBLIC_AUTH_PATHS.has(path)) {
    throw new AppError('not_found', `no auth endpoint ${path || '/'}`);
  }
  // In read-only a session is read but never refreshed (issue 9: no user data changes at all).
  const holdWrites = input.request.headers.get('cookie') ? await sessionWritesHeld({ ctx }) : false;
  if (!OPEN_PATHS.has(path)) await refuseDisabledSession(ctx, input.request.headers, holdWrites);
  return ctx.accounts.handle(input.request, { clientIp: input.clientIp, holdWrites });
}

// Signing in, up and out and resetting a password with a token need no session; every other
// endpoint acts on the caller's own session.
const OPEN_PATHS: ReadonlySet<string> = new Set([
  '/sign-up/email',
  '/sign-in/email',
  '/sign-out',
  '/reset-password',
]);

// A disabled account's session must not keep working on better-auth's own endpoints either
// (changing its password, listing its sessions); Polaris's routes refuse it in resolveCaller.
async function refuseDisabledSession(ctx: ServiceContext, headers: Headers, holdWrites: boolean) {
  if (!headers.get('cookie')) return;
  const session = await ctx.accounts.getSession(headers, { holdWrites });
  if (!session) return;
  const profile = await ctx.repos.users.findProfile(session.userId);
  if (session.banned || profile?.disabledAt)
    throw new AppError('account_disabled', 'this account is disabled');
  if (profile?.passwordResetRequiredAt)
    throw new AppError('password_reset_required', 'this account must set a new password first');
}
