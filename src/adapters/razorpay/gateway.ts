import type { Result } from '../../domain/errors.ts';
import type { RazorpayError } from './errors.ts';
import type {
  RzpCollection,
  RzpCustomer,
  RzpInvoice,
  RzpOrder,
  RzpPayment,
  RzpPlan,
  RzpRefund,
  RzpSubscription,
} from './wire.ts';

/** A gateway call's outcome: the entity, or a typed Razorpay error (never a throw). */
export type GatewayResult<T> = Promise<Result<T, RazorpayError>>;

/** Notes sent with a create call; Polaris keeps its own ids here to reconcile. */
export type Notes = Record<string, string>;

/** Paging for list calls: count (max 100), skip, and a created_at window in unix seconds. */
export type ListQuery = { count?: number; skip?: number; from?: number; to?: number };

/** Input of plan creation (amount in paise). */
export type CreatePlanInput = {
  period: 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';
  interval: number;
  item: { name: string; amount: number; currency: string; description?: string };
  notes?: Notes;
};

/** Input of customer creation. */
export type CreateCustomerInput = {
  name?: string;
  email?: string;
  contact?: string;
  failExisting?: boolean;
  notes?: Notes;
};

/** Input of subscription creation. */
export type CreateSubscriptionInput = {
  planId: string;
  totalCount: number;
  quantity?: number;
  startAt?: number;
  expireBy?: number;
  customerNotify?: boolean;
  notes?: Notes;
};

/** A subscription update, applied now or at the cycle end. */
export type UpdateSubscriptionInput = {
  planId?: string;
  quantity?: number;
  remainingCount?: number;
  scheduleChangeAt?: 'now' | 'cycle_end';
  customerNotify?: boolean;
};

/** Input of order creation. */
export type CreateOrderInput = { amount: number; currency: string; receipt?: string; notes?: Notes };

/** Input of a refund; `idempotencyKey` (≥ 10 of [A-Za-z0-9_-]) makes retries safe. */
export type CreateRefundInput = {
  amount?: number;
  speed?: 'normal' | 'optimum';
  receipt?: string;
  notes?: Notes;
  idempotencyKey?: string;
};

/** The Razorpay calls Polaris makes; one HTTP implementation, tested against the emulator and test mode. */
export interface RazorpayGateway {
  createPlan(input: CreatePlanInput): GatewayResult<RzpPlan>;
  fetchPlan(id: string): GatewayResult<RzpPlan>;
  listPlans(query?: ListQuery): GatewayResult<RzpCollection<RzpPlan>>;
  createCustomer(input: CreateCustomerInput): GatewayResult<RzpCustomer>;
  createSubscription(input: CreateSubscriptionInput): GatewayResult<RzpSubscription>;
  fetchSubscription(id: string): GatewayResult<RzpSubscription>;
  /** Subscriptions created in a window (`from`/`to` filter on created_at), newest first. */
  listSubscriptions(query?: ListQuery): GatewayResult<RzpCollection<RzpSubscription>>;
  updateSubscription(id: string, input: UpdateSubscriptionInput): GatewayResult<RzpSubscription>;
  cancelSubscription(id: string, options?: { atCycleEnd?: boolean }): GatewayResult<RzpSubscription>;
  pauseSubscription(id: string): GatewayResult<RzpSubscription>;
  resumeSubscription(id: string): GatewayResult<RzpSubscription>;
  listInvoices(subscriptionId: string, query?: ListQuery): GatewayResult<RzpCollection<RzpInvoice>>;
  fetchInvoice(id: string): GatewayResult<RzpInvoice>;
  fetchPayment(id: string): GatewayResult<RzpPayment>;
  /** Every payment attempt on an order, failed ones included (a subscription invoice has one order). */
  listOrderPayments(orderId: string): GatewayResult<RzpCollection<RzpPayment>>;
  createOrder(input: CreateOrderInput): GatewayResult<RzpOrder>;
  fetchOrder(id: string): GatewayResult<RzpOrder>;
  createRefund(paymentId: string, input?: CreateRefundInput): GatewayResult<RzpRefund>;
  fetchRefund(id: string): GatewayResult<RzpRefund>;
}
