import type { Delivery } from '../../adapters/db/notifications-repo.ts';

export type { Delivery } from '../../adapters/db/notifications-repo.ts';

import type { DeliveryStatus } from '../../adapters/db/schema-notifications.ts';
import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';

/** The statuses a delivery can have, as `--status` takes them. */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'uncertain'] as const;

/** `polaris notifications list`: the outbox newest first, optionally one status. */
export async function listNotifications({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { status?: string | undefined; limit?: string | number | undefined };
}): Promise<Delivery[]> {
  const limit = Number(input.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new AppError('bad_request', `limit: '${input.limit}' is not a whole number from 1 to 500`);
  }
  const raw = input.status?.trim().toLowerCase();
  if (raw !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(raw)) {
    throw new AppError(
      'bad_request',
      `status: '${input.status}' is not one of ${DELIVERY_STATUSES.join(', ')}`,
    );
  }
  return ctx.repos.notifications.list({ status: raw as DeliveryStatus | undefined, limit });
}
