import { requireReason } from '../../domain/operator-input.ts';
import type { ServiceContext } from '../context.ts';
import { findUser } from './find-user.ts';

/** What `polaris users enable` did; `changed` is false when the account was not disabled. */
export type EnabledUser = { userId: string; email: string; changed: boolean };

/** Lets a disabled account sign in again (it starts with no session), audited in the same transaction. */
export async function enableUser({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { user: string; reason?: string | undefined; actor: string };
}): Promise<EnabledUser> {
  const reason = requireReason(input.reason);
  const profile = await findUser({ ctx, input });
  return ctx.transaction(async (repos) => {
    const changed = await repos.users.enable(profile.userId, ctx.now());
    await repos.audit.record({
      actor: input.actor,
      action: 'user.enable',
      target: profile.userId,
      reason,
      details: { email: profile.email, wasDisabled: changed },
    });
    return { userId: profile.userId, email: profile.email, changed };
  });
}
