import { AppError } from '../../domain/errors.ts';
import { parseLinkToken } from '../../domain/status-subscriptions.ts';
import type { ServiceContext } from '../context.ts';

/** `GET|POST /status/unsubscribe?token=`: ends a subscription in one click; again is harmless. */
export async function unsubscribeFromStatus({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { token?: string | undefined };
}): Promise<{ email: string; already: boolean }> {
  const token = parseLinkToken(input.token);
  const at = ctx.now();
  return ctx.transaction(async (repos) => {
    const found = await repos.statusSubscriptions.findByUnsubscribeToken(token);
    if (!found) throw new AppError('not_found', 'this unsubscribe link is not valid');
    const ended = await repos.statusSubscriptions.unsubscribe(found.id, at);
    if (!ended) return { email: found.email, already: true };
    await repos.audit.record({
      actor: `subscriber:${found.id}`,
      action: 'status-subscription.unsubscribe',
      target: `status-subscription:${found.id}`,
    });
    return { email: ended.email, already: false };
  });
}
