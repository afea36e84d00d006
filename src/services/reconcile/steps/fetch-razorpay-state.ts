import type { GatewayResult, RazorpayGateway } from '../../../adapters/razorpay/gateway.ts';
import type {
  RzpCollection,
  RzpInvoice,
  RzpPayment,
  RzpSubscription,
} from '../../../adapters/razorpay/wire.ts';
import { razorpayFailure } from '../../razorpay-failure.ts';

/** Razorpay's copy of one subscription and the payments of the invoices worth looking at. */
export type RazorpayState = { subscription: RzpSubscription; payments: RzpPayment[] };

/** Sends one call with the run's patience; a failure that outlasts it becomes AppError 'unavailable'. */
export type Patient = <T>(doing: string, call: () => GatewayResult<T>) => Promise<T>;

/** Wraps a gateway call runner so a failure throws the 503 AppError `razorpayFailure` builds. */
export function patientCalls(run: <T>(call: () => GatewayResult<T>) => GatewayResult<T>): Patient {
  return async (doing, call) => {
    const result = await run(call);
    if (!result.ok) throw razorpayFailure(result.error, doing);
    return result.value;
  };
}

const PAGE = 100;

// Razorpay pages have no cursor: ask for full pages until one comes back short.
async function allPages<T>(page: (skip: number) => Promise<RzpCollection<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const got = await page(skip);
    items.push(...got.items);
    if (got.items.length < PAGE) return items;
  }
}

/** Every subscription Razorpay lists as created in [from, to] (unix seconds). */
export function listSubscriptionsCreated(
  gateway: RazorpayGateway,
  call: Patient,
  from: number,
  to: number,
): Promise<RzpSubscription[]> {
  return allPages((skip) =>
    call('listing the subscriptions created in the window', () =>
      gateway.listSubscriptions({ from, to, count: PAGE, skip }),
    ),
  );
}

/**
 * Fetches a subscription (unless the listing gave it already), its invoices, and every payment
 * attempt on the orders of invoices that may hold news: issued in the window, not paid, or paid
 * by a payment `known` does not hold. Old paid invoices we recorded are left alone.
 */
export async function fetchRazorpayState(
  gateway: RazorpayGateway,
  call: Patient,
  input: {
    id: string;
    listed?: RzpSubscription;
    since: number;
    known: (paymentIds: string[]) => Promise<Set<string>>;
  },
): Promise<RazorpayState> {
  const { id } = input;
  const subscription =
    input.listed ?? (await call(`fetching subscription ${id}`, () => gateway.fetchSubscription(id)));
  const invoices = await allPages((skip) =>
    call(`listing the invoices of ${id}`, () => gateway.listInvoices(id, { count: PAGE, skip })),
  );
  const known = await input.known(invoices.flatMap((i) => (i.payment_id ? [i.payment_id] : [])));
  const news = (i: RzpInvoice) =>
    (i.created_at ?? 0) >= input.since || i.status !== 'paid' || !i.payment_id || !known.has(i.payment_id);
  const orders = [...new Set(invoices.filter(news).flatMap((i) => (i.order_id ? [i.order_id] : [])))];
  const payments: RzpPayment[] = [];
  for (const order of orders.sort()) {
    const listed = await call(`listing the payments of order ${order} (subscription ${id})`, () =>
      gateway.listOrderPayments(order),
    );
    payments.push(...listed.items);
  }
  payments.sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
  return { subscription, payments };
}
