import { requireReason } from '../../domain/operator-input.ts';
import type { ServiceContext } from '../context.ts';
import { resolveScope, type ScopeInput } from './resolve-scope.ts';

/** One account that must reset its password, and the single-use link that lets it. */
export type ResetLink = { userId: string; email: string; link: string; expiresAt: Date };

/** What `polaris users require-password-reset` did, or (unconfirmed --all) would do. */
export type PasswordResetOutcome = {
  confirmed: boolean;
  scope: 'all' | 'user';
  /** Accounts marked (or that would be). */
  users: number;
  sessionsRevoked: number;
  links: ResetLink[];
};

/**
 * Marks one account (or all, confirmed) as needing a new password, revokes their sessions and
 * drops older reset links, audited in one transaction; then issues one single-use, expiring reset
 * link per account. Sign-in answers 403 password_reset_required until the password is changed.
 */
export async function requirePasswordReset({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: ScopeInput & { reason?: string | undefined; actor: string; confirmed: boolean };
}): Promise<PasswordResetOutcome> {
  const reason = requireReason(input.reason);
  const { scope, target, email } = await resolveScope({ ctx, input });
  const now = ctx.now();
  const kind = scope === 'all' ? 'all' : 'user';
  if (scope === 'all' && !input.confirmed) {
    const [users, sessions] = await Promise.all([
      ctx.repos.users.countProfiles(),
      ctx.repos.sessions.countLive(scope, now),
    ]);
    return { confirmed: false, scope: kind, users, sessionsRevoked: sessions, links: [] };
  }
  const { marked, sessionsRevoked } = await ctx.transaction(async (repos) => {
    const rows = await repos.users.requirePasswordReset(scope, now);
    const revoked = await repos.sessions.revoke(scope, now);
    await repos.sessions.dropResetTokens(scope);
    await repos.audit.record({
      actor: input.actor,
      action: 'user.require_password_reset',
      target,
      reason,
      details: { ...(email ? { email } : {}), users: rows.length, sessionsRevoked: revoked },
    });
    return { marked: rows, sessionsRevoked: revoked };
  });
  // Issued after the commit: better-auth writes its own token rows. If this stops half-way, running
  // the command again issues fresh links (and drops these).
  const links: ResetLink[] = [];
  for (const user of marked) {
    const issued = await ctx.accounts.issuePasswordReset(user.email);
    const link = new URL('/reset-password', ctx.settings.publicBaseUrl);
    link.searchParams.set('token', issued.token);
    links.push({ userId: user.userId, email: user.email, link: link.href, expiresAt: issued.expiresAt });
  }
  return { confirmed: true, scope: kind, users: marked.length, sessionsRevoked, links };
}
