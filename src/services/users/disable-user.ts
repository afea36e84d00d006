import { requireReason } from '../../domain/operator-input.ts';
import type { ServiceContext } from '../context.ts';
import { findUser } from './find-user.ts';

/** What `polaris users disable` did. */
export type DisabledUser = {
  confirmed: true;
  userId: string;
  email: string;
  disabledAt: Date;
  /** False when the account was disabled already (its sessions are revoked again all the same). */
  changed: boolean;
  sessionsRevoked: number;
};

/** What an unconfirmed disable would do: nothing changed. */
export type DisablePreview = { confirmed: false; userId: string; email: string; liveSessions: number };

/**
 * Disables an account: sign-in answers 403 account_disabled, every session is deleted, and one
 * audit row records it, all in one transaction. The subscription is not touched. Unconfirmed, it
 * only reports what it would do.
 */
export async function disableUser({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { user: string; reason?: string | undefined; actor: string; confirmed: boolean };
}): Promise<DisabledUser | DisablePreview> {
  const reason = requireReason(input.reason);
  const profile = await findUser({ ctx, input });
  const now = ctx.now();
  if (!input.confirmed) {
    const liveSessions = await ctx.repos.sessions.countLive({ userId: profile.userId }, now);
    return { confirmed: false, userId: profile.userId, email: profile.email, liveSessions };
  }
  return ctx.transaction(async (repos) => {
    const { disabledAt, changed } = await repos.users.disable(profile.userId, now);
    const sessionsRevoked = await repos.sessions.revoke({ userId: profile.userId }, now);
    await repos.audit.record({
      actor: input.actor,
      action: 'user.disable',
      target: profile.userId,
      reason,
      details: { email: profile.email, alreadyDisabled: !changed, sessionsRevoked },
    });
    return {
      confirmed: true,
      userId: profile.userId,
      email: profile.email,
      disabledAt,
      changed,
      sessionsRevoked,
    };
  });
}
