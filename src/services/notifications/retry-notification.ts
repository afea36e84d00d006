import type { Delivery } from '../../adapters/db/notifications-repo.ts';
import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';

/**
 * `polaris notifications retry <id>`: puts a failed or uncertain delivery back in the queue, due
 * now, with an audit row. An uncertain one may have gone out already: the operator decides.
 */
export async function retryNotification({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    id: string;
    actor: string /** An uncertain delivery may have gone out: resend only when told. */;
    resendUncertain?: boolean;
  };
}): Promise<{ delivery: Delivery; was: Delivery['status'] }> {
  const id = input.id.trim();
  if (!/^[1-9][0-9]{0,17}$/.test(id)) {
    throw new AppError('bad_request', `id: '${input.id}' is not a notification id (a number such as 12)`);
  }
  return ctx.transaction(async (repos) => {
    const current = await repos.notifications.find(id);
    if (!current) throw new AppError('not_found', `no notification ${id}`);
    if (current.status === 'uncertain' && input.resendUncertain !== true) {
      throw new AppError(
        'bad_request',
        `notification ${id} is uncertain: its deliverer stopped after sending, so it may have gone out already; confirm to send it again`,
      );
    }
    const delivery = await repos.notifications.requeue(id, ctx.now());
    if (!delivery) {
      throw new AppError(
        'conflict',
        `notification ${id} is ${current.status}; only failed or uncertain ones are retried`,
      );
    }
    await repos.audit.record({
      actor: input.actor,
      action: 'notification.retry',
      target: `notification:${id}`,
      details: { was: current.status, channel: current.channel, attempts: current.attempts },
    });
    return { delivery, was: current.status };
  });
}
