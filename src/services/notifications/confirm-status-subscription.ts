import { AppError } from '../../domain/errors.ts';
import { CONFIRM_LINK_DAYS, parseLinkToken } from '../../domain/status-subscriptions.ts';
import type { ServiceContext } from '../context.ts';
import { tokenHash } from './subscription-tokens.ts';

/** `GET /status/confirm?token=`: the second step of the opt-in; opening the link again is harmless. */
export async function confirmStatusSubscription({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { token?: string | undefined };
}): Promise<{ email: string; already: boolean }> {
  const hash = tokenHash(parseLinkToken(input.token));
  const at = ctx.now();
  return ctx.transaction(async (repos) => {
    const found = await repos.statusSubscriptions.findByConfirmHash(hash);
    if (!found) {
      throw new AppError('not_found', 'this confirmation link is not valid (a newer one may have been sent)');
    }
    if (found.status === 'confirmed') return { email: found.email, already: true };
    if (found.status === 'unsubscribed') {
      throw new AppError('conflict', 'this subscription was ended; subscribe again on the status page');
    }
    if (at.getTime() - found.confirmSentAt.getTime() > CONFIRM_LINK_DAYS * 86_400_000) {
      throw new AppError(
        'bad_request',
        `this confirmation link is older than ${CONFIRM_LINK_DAYS} days; subscribe again`,
      );
    }
    const confirmed = await repos.statusSubscriptions.confirm(found.id, at);
    if (!confirmed) return { email: found.email, already: true };
    await repos.audit.record({
      actor: `subscriber:${found.id}`,
      action: 'status-subscription.confirm',
      target: `status-subscription:${found.id}`,
    });
    return { email: confirmed.email, already: false };
  });
}
