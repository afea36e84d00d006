import type { ServiceContext } from '../context.ts';
import { sessionWritesHeld } from '../flags/session-writes-held.ts';
import { ADMIN_TOKEN_CALLER, type Caller } from './caller.ts';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Resolves who sent a request: the ADMIN_TOKEN bearer, or the session cookie's user when their
 * profile exists and is neither disabled, banned, nor waiting for a password reset; otherwise null. A bearer token that is not
 * ADMIN_TOKEN yields null rather than falling back to the cookie.
 */
export async function resolveCaller({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { headers: Headers };
}): Promise<Caller | null> {
  const authorization = input.headers.get('authorization');
  if (authorization !== null) {
    const token = BEARER.exec(authorization)?.[1];
    if (token && ctx.accounts.isAdminToken(token)) return ADMIN_TOKEN_CALLER;
    return null;
  }
  // No cookie, no session: health checks and webhooks never touch the database here.
  if (!input.headers.get('cookie')) return null;
  const holdWrites = await sessionWritesHeld({ ctx });
  const session = await ctx.accounts.getSession(input.headers, { holdWrites });
  if (!session || session.banned) return null;
  const profile = await ctx.repos.users.findProfile(session.userId);
  // A session that slipped in while an operator locked the account is refused all the same.
  if (!profile || profile.disabledAt !== null || profile.passwordResetRequiredAt !== null) return null;
  return { userId: profile.userId, role: profile.role, email: profile.email };
}
