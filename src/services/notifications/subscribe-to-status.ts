import type { Repos } from '../../adapters/db/repos.ts';
import type { StatusSubscription } from '../../adapters/db/status-subscriptions-repo.ts';
import { CONFIRM_RESEND_MS, parseSubscriberEmail } from '../../domain/status-subscriptions.ts';
import type { ServiceContext } from '../context.ts';
import { queueNotification } from './enqueue-notification.ts';
import { newLinkToken, tokenHash } from './subscription-tokens.ts';

/** What a subscribe request did; the page says the same in every case (no address is revealed). */
export type SubscribeOutcome = 'confirmation-queued' | 'already-subscribed' | 'confirmation-recent';

async function pendingWithToken(
  repos: Repos,
  email: string,
  existing: StatusSubscription | undefined,
  hash: string,
  at: Date,
): Promise<StatusSubscription | undefined> {
  if (!existing) {
    return repos.statusSubscriptions.insertPending({
      email,
      confirmTokenHash: hash,
      unsubscribeToken: newLinkToken(),
      at,
    });
  }
  return repos.statusSubscriptions.reissue(existing.id, hash, at);
}

/**
 * `POST /status/subscribe`: a pending subscription and a confirmation mail (double opt-in); nothing
 * is sent to the address until its link is opened. One mail per address per hour, whoever asks.
 */
export async function subscribeToStatus({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { email?: string | undefined };
}): Promise<{ outcome: SubscribeOutcome }> {
  const email = parseSubscriberEmail(input.email);
  const at = ctx.now();
  return ctx.transaction(async (repos) => {
    const existing = await repos.statusSubscriptions.findByEmail(email);
    if (existing?.status === 'confirmed') return { outcome: 'already-subscribed' as const };
    if (
      existing?.status === 'pending' &&
      at.getTime() - existing.confirmSentAt.getTime() < CONFIRM_RESEND_MS
    ) {
      return { outcome: 'confirmation-recent' as const };
    }
    const token = newLinkToken();
    const hash = tokenHash(token);
    const subscription = await pendingWithToken(repos, email, existing, hash, at);
    // Another request for the same address won the race: it sends the mail.
    if (!subscription) return { outcome: 'confirmation-recent' as const };
    await queueNotification(ctx, repos, {
      key: `status-subscribe-confirm:${subscription.id}:${hash.slice(0, 16)}`,
      template: 'status-subscribe-confirm',
      audience: { kind: 'email', address: email },
      vars: { confirmUrl: `${ctx.settings.publicBaseUrl}/status/confirm?token=${token}` },
    });
    return { outcome: 'confirmation-queued' as const };
  });
}
