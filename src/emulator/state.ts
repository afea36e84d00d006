import type { Customer, Invoice, Order, Payment, Plan, Refund, Subscription } from './types.ts';

/** What the emulator knows about a subscription beyond its public entity. */
export type SubscriptionMeta = {
  invoicesGenerated: number;
  /** The next `failNext` charge attempts fail (the fail-charges control). */
  failNext: number;
  /** Recorded by cancel-at-cycle-end; invisible on the entity, as on Razorpay. */
  cancelAtCycleEnd: boolean;
  scheduledChange: { plan_id?: string; quantity?: number; remaining_count?: number } | null;
  /** The issued invoice of the current cycle that has not been paid yet. */
  openInvoiceId: string | null;
  /** Add-ons created with the subscription: each its own line on the first invoice. */
  addons: AddonItem[];
};

/** One add-on: an upfront charge billed with the first invoice, as `type: "addon"`. */
export type AddonItem = { name: string; amount: number; currency: string };

/** A webhook event as created: its id, name, time and the exact bytes every delivery sends. */
export type EventRecord = {
  id: string;
  event: string;
  created_at: number;
  body: string;
  entity_ids: string[];
};

/** A registered webhook endpoint. */
export type WebhookEndpoint = {
  id: string;
  url: string;
  secret: string;
  /** Event names it receives; null means all. */
  events: string[] | null;
  active: boolean;
  disabled_at: number | null;
  created_at: number;
};

/** One HTTP attempt of a delivery. */
export type DeliveryAttempt = {
  at_ms: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
  fault?: string;
};

/** One event on its way to one endpoint, with the secret it was first signed with. */
export type Delivery = {
  id: string;
  event_id: string;
  webhook_id: string;
  secret: string;
  status: 'pending' | 'delivered' | 'failed' | 'dropped';
  replay: boolean;
  created_ms: number;
  next_attempt_ms: number | null;
  attempts: DeliveryAttempt[];
};

/** All emulator state; maps keep insertion order, which is creation order. */
export type State = {
  accountId: string;
  plans: Map<string, Plan>;
  customers: Map<string, Customer>;
  subscriptions: Map<string, Subscription>;
  subscriptionMeta: Map<string, SubscriptionMeta>;
  invoices: Map<string, Invoice>;
  orders: Map<string, Order>;
  payments: Map<string, Payment>;
  refunds: Map<string, Refund>;
  refundKeys: Map<string, { fingerprint: string; refundId: string }>;
  /** How many of a payment's next refunds fail (the fail-refunds control). */
  refundFailures: Map<string, number>;
  /** Orders created with `payment_capture: 0` keep their payments authorised until captured. */
  orderManualCapture: Map<string, boolean>;
  events: Map<string, EventRecord>;
  webhooks: Map<string, WebhookEndpoint>;
  deliveries: Map<string, Delivery>;
};

const MAP_KEYS = [
  'plans',
  'customers',
  'subscriptions',
  'subscriptionMeta',
  'invoices',
  'orders',
  'payments',
  'refunds',
  'refundKeys',
  'refundFailures',
  'orderManualCapture',
  'events',
  'webhooks',
  'deliveries',
] as const;

/** Empty state for an account. */
export function createState(accountId: string): State {
  const state = { accountId } as State;
  for (const key of MAP_KEYS) (state as Record<string, unknown>)[key] = new Map();
  return state;
}

/** Empties every collection in place (reset keeps the account id and the same object). */
export function clearState(state: State): void {
  for (const key of MAP_KEYS) state[key].clear();
}

/** A JSON-ready copy of the state. */
export function serializeState(state: State): Record<string, unknown> {
  const out: Record<string, unknown> = { accountId: state.accountId };
  for (const key of MAP_KEYS) out[key] = [...state[key].entries()];
  return out;
}

/** Loads a serialised state into `state`, replacing what it held. */
export function restoreState(state: State, data: Record<string, unknown>): void {
  clearState(state);
  if (typeof data.accountId === 'string') state.accountId = data.accountId;
  for (const key of MAP_KEYS) {
    const entries = data[key];
    if (!Array.isArray(entries)) continue;
    const map = state[key] as Map<string, unknown>;
    for (const entry of entries) if (Array.isArray(entry)) map.set(String(entry[0]), entry[1]);
  }
}
