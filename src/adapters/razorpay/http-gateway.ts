import type { CreateRefundInput, ListQuery, RazorpayGateway } from './gateway.ts';
import { type Call, createHttpClient, type HttpClientOptions } from './http-request.ts';
import {
  RzpCustomer,
  RzpInvoice,
  RzpOrder,
  RzpPayment,
  RzpPlan,
  RzpRefund,
  RzpSubscription,
  rzpCollection,
} from './wire.ts';

const paging = (q: ListQuery = {}) => ({ count: q.count, skip: q.skip, from: q.from, to: q.to });
const enc = encodeURIComponent;

/** Drops undefined values so Razorpay never sees a key it would call unexpected. */
function compact(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/** The gateway over Razorpay's REST API (or the emulator's), built on fetch. */
export function createHttpGateway(options: HttpClientOptions): RazorpayGateway {
  const http = createHttpClient(options);
  const get = (path: string, query?: Call['query']): Call => ({
    method: 'GET',
    path,
    ...(query ? { query } : {}),
    idempotent: true,
  });
  const post = (path: string, body: unknown, idempotent = false): Call => ({
    method: 'POST',
    path,
    body,
    idempotent,
  });

  return {
    createPlan: (input) => http.send(post('/v1/plans', compact({ ...input })), RzpPlan),
    fetchPlan: (id) => http.send(get(`/v1/plans/${enc(id)}`), RzpPlan),
    listPlans: (q) => http.send(get('/v1/plans', paging(q)), rzpCollection(RzpPlan)),
    createCustomer: (input) =>
      http.send(
        post(
          '/v1/customers',
          compact({
            name: input.name,
            email: input.email,
            contact: input.contact,
            notes: input.notes,
            fail_existing: input.failExisting === undefined ? undefined : input.failExisting ? 1 : 0,
          }),
        ),
        RzpCustomer,
      ),
    createSubscription: (input) =>
      http.send(
        post(
          '/v1/subscriptions',
          compact({
            plan_id: input.planId,
            total_count: input.totalCount,
            quantity: input.quantity,
            start_at: input.startAt,
            expire_by: input.expireBy,
            customer_notify: input.customerNotify,
            notes: input.notes,
          }),
        ),
        RzpSubscription,
      ),
    fetchSubscription: (id) => http.send(get(`/v1/subscriptions/${enc(id)}`), RzpSubscription),
    listSubscriptions: (q) => http.send(get('/v1/subscriptions', paging(q)), rzpCollection(RzpSubscription)),
    updateSubscription: (id, input) =>
      http.send(
        {
          method: 'PATCH',
          path: `/v1/subscriptions/${enc(id)}`,
          body: compact({
            plan_id: input.planId,
            quantity: input.quantity,
            remaining_count: input.remainingCount,
            schedule_change_at: input.scheduleChangeAt,
            customer_notify: input.customerNotify,
          }),
          idempotent: false,
        },
        RzpSubscription,
      ),
    cancelSubscription: (id, o = {}) =>
      http.send(
        post(`/v1/subscriptions/${enc(id)}/cancel`, { cancel_at_cycle_end: o.atCycleEnd ? 1 : 0 }),
        RzpSubscription,
      ),
    pauseSubscription: (id) =>
      http.send(post(`/v1/subscriptions/${enc(id)}/pause`, { pause_at: 'now' }), RzpSubscription),
    resumeSubscription: (id) =>
      http.send(post(`/v1/subscriptions/${enc(id)}/resume`, { resume_at: 'now' }), RzpSubscription),
    listInvoices: (subscriptionId, q) =>
      http.send(
        get('/v1/invoices', { subscription_id: subscriptionId, ...paging(q) }),
        rzpCollection(RzpInvoice),
      ),
    fetchInvoice: (id) => http.send(get(`/v1/invoices/${enc(id)}`), RzpInvoice),
    fetchPayment: (id) => http.send(get(`/v1/payments/${enc(id)}`), RzpPayment),
    listOrderPayments: (orderId) =>
      http.send(get(`/v1/orders/${enc(orderId)}/payments`), rzpCollection(RzpPayment)),
    createOrder: (input) => http.send(post('/v1/orders', compact({ ...input })), RzpOrder),
    fetchOrder: (id) => http.send(get(`/v1/orders/${enc(id)}`), RzpOrder),
    createRefund: (paymentId, input: CreateRefundInput = {}) => {
      const { idempotencyKey, ...body } = input;
      // With an idempotency key Razorpay returns the same refund for a repeat, so retrying is safe.
      const call = post(`/v1/payments/${enc(paymentId)}/refund`, compact(body), idempotencyKey !== undefined);
      return http.send(
        idempotencyKey === undefined
          ? call
          : { ...call, headers: { 'x-refund-idempotency': idempotencyKey } },
        RzpRefund,
      );
    },
    fetchRefund: (id) => http.send(get(`/v1/refunds/${enc(id)}`), RzpRefund),
  };
}
