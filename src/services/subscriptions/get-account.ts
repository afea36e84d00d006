import { getUsage, type Usage } from '../blueprints/get-usage.ts';
import type { ServiceContext } from '../context.ts';
import { getCurrentSubscription } from './get-current-subscription.ts';
import { listPayments, type PaymentView } from './list-payments.ts';
import type { SubscriptionView } from './subscription-view.ts';

/** What /account shows: the current subscription, the period's usage and one page of payments. */
export type AccountView = {
  subscription: SubscriptionView | null;
  usage: Usage;
  payments: { items: PaymentView[]; page: number; hasNext: boolean };
};

/** The caller's account at a glance; `page` counts from 1, `pageSize` payments to a page. */
export async function getAccount({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { userId: string; page: number; pageSize: number };
}): Promise<AccountView> {
  const { userId, page, pageSize } = input;
  const [current, usage, payments] = await Promise.all([
    getCurrentSubscription({ ctx, input: { userId } }),
    getUsage({ ctx, input: { userId } }),
    listPayments({ ctx, input: { userId, limit: pageSize, offset: (page - 1) * pageSize } }),
  ]);
  return {
    subscription: current.subscription,
    usage,
    payments: { items: payments.items, page, hasNext: payments.nextOffset !== null },
  };
}
