import { requireReason } from '../../domain/operator-input.ts';
import type { ServiceContext } from '../context.ts';
import { resolveScope, type ScopeInput } from './resolve-scope.ts';

/** What `polaris sessions revoke` did, or (unconfirmed --all) would do. */
export type RevokedSessions = {
  confirmed: boolean;
  scope: 'all' | 'user';
  email: string | null;
  /** Live sessions revoked, or that would be. */
  sessions: number;
};

/**
 * Deletes every session of one user, or of everyone (`--all`, which needs confirmation: without
 * it nothing changes and the count is what would go). The next request with an old cookie is 401.
 */
export async function revokeSessions({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: ScopeInput & { reason?: string | undefined; actor: string; confirmed: boolean };
}): Promise<RevokedSessions> {
  const reason = requireReason(input.reason);
  const { scope, target, email } = await resolveScope({ ctx, input });
  const now = ctx.now();
  const kind = scope === 'all' ? 'all' : 'user';
  if (scope === 'all' && !input.confirmed) {
    return { confirmed: false, scope: kind, email, sessions: await ctx.repos.sessions.countLive(scope, now) };
  }
  const sessions = await ctx.transaction(async (repos) => {
    const revoked = await repos.sessions.revoke(scope, now);
    await repos.audit.record({
      actor: input.actor,
      action: 'sessions.revoke',
      target,
      reason,
      details: { ...(email ? { email } : {}), sessionsRevoked: revoked },
    });
    return revoked;
  });
  return { confirmed: true, scope: kind, email, sessions };
}
