/** Notes as Razorpay serialises them: an object, or `[]` when empty. */
export type Notes = Record<string, string | number> | [];

/** Billing periods a plan may use. */
export type Period = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

/** The plan entity. */
export type Plan = {
  id: string;
  entity: 'plan';
  interval: number;
  period: Period;
  item: {
    id: string;
    active: boolean;
    name: string;
    description: string | null;
    amount: number;
    unit_amount: number;
    currency: string;
    type: 'plan';
    unit: null;
    tax_inclusive: boolean;
    hsn_code: null;
    sac_code: null;
    tax_rate: null;
    tax_id: null;
    tax_group_id: null;
    created_at: number;
    updated_at: number;
  };
  notes: Notes;
  created_at: number;
};

/** The customer entity. */
export type Customer = {
  id: string;
  entity: 'customer';
  name: string | null;
  email: string | null;
  contact: string | null;
  gstin: string | null;
  notes: Notes;
  created_at: number;
};

/** Subscription statuses, including `paused` which the docs omit but the API returns. */
export type SubscriptionStatus =
  | 'created'
  | 'authenticated'
  | 'active'
  | 'pending'
  | 'halted'
  | 'cancelled'
  | 'completed'
  | 'expired'
  | 'paused';

/** The subscription entity. */
export type Subscription = {
  id: string;
  entity: 'subscription';
  plan_id: string;
  customer_id: string | null;
  status: SubscriptionStatus;
  type: number;
  current_start: number | null;
  current_end: number | null;
  ended_at: number | null;
  quantity: number;
  notes: Notes;
  charge_at: number | null;
  start_at: number | null;
  end_at: number | null;
  auth_attempts: number;
  total_count: number;
  paid_count: number;
  customer_notify: boolean;
  created_at: number;
  expire_by: number | null;
  short_url: string | null;
  has_scheduled_changes: boolean;
  change_scheduled_at: number | null;
  source: 'api';
  offer_id: string | null;
  remaining_count: number;
  payment_method?: string | null;
  paused_at?: number | null;
  pause_initiated_by?: string | null;
  cancel_initiated_by?: string | null;
};

/** The invoice entity (subscription invoices only). */
export type Invoice = {
  id: string;
  entity: 'invoice';
  receipt: null;
  invoice_number: null;
  customer_id: string | null;
  customer_details: Record<string, unknown>;
  order_id: string;
  subscription_id: string;
  line_items: InvoiceLineItem[];
  payment_id: string | null;
  status: 'issued' | 'paid' | 'cancelled' | 'expired';
  expire_by: null;
  issued_at: number;
  paid_at: number | null;
  cancelled_at: null;
  expired_at: null;
  sms_status: null;
  email_status: null;
  date: number;
  terms: null;
  partial_payment: boolean;
  gross_amount: number;
  tax_amount: number;
  taxable_amount: number;
  amount: number;
  amount_paid: number;
  amount_due: number;
  currency: string;
  currency_symbol: string;
  description: null;
  notes: Notes;
  comment: null;
  short_url: null;
  view_less: boolean;
  billing_start: number;
  billing_end: number;
  type: 'invoice';
  group_taxes_discounts: boolean;
  created_at: number;
  idempotency_key: null;
};

/** The order entity. */
export type Order = {
  id: string;
  entity: 'order';
  amount: number;
  amount_paid: number;
  amount_due: number;
  currency: string;
  receipt: string | null;
  offer_id: null;
  status: 'created' | 'attempted' | 'paid';
  attempts: number;
  notes: Notes;
  created_at: number;
};

/** The payment entity. */
export type Payment = {
  id: string;
  entity: 'payment';
  amount: number;
  currency: string;
  base_amount: number;
  status: 'created' | 'authorized' | 'captured' | 'refunded' | 'failed';
  order_id: string | null;
  invoice_id: string | null;
  international: boolean;
  method: string;
  amount_refunded: number;
  amount_transferred: number;
  refund_status: 'partial' | 'full' | null;
  captured: boolean;
  description: string | null;
  card_id: string | null;
  card?: Record<string, unknown>;
  bank: string | null;
  wallet: string | null;
  vpa: string | null;
  upi?: Record<string, unknown>;
  email: string;
  contact: string;
  customer_id?: string | null;
  token_id?: string | null;
  notes: Notes;
  fee: number | null;
  tax: number | null;
  error_code: string | null;
  error_description: string | null;
  error_source: string | null;
  error_step: string | null;
  error_reason: string | null;
  acquirer_data: Record<string, unknown>;
  created_at: number;
};

/** The refund entity. */
export type Refund = {
  id: string;
  entity: 'refund';
  amount: number;
  currency: string;
  payment_id: string;
  notes: Notes;
  receipt: string | null;
  acquirer_data: { arn: string | null };
  created_at: number;
  batch_id: null;
  status: 'pending' | 'processed' | 'failed';
  speed_processed: 'normal' | 'instant';
  speed_requested: 'normal' | 'optimum';
};

/** One line of an invoice: the plan, or an add-on billed beside it. */
export type InvoiceLineItem = {
  id: string;
  item_id: string | null;
  ref_id: null;
  ref_type: null;
  name: string;
  description: string | null;
  amount: number;
  unit_amount: number;
  gross_amount: number;
  tax_amount: number;
  taxable_amount: number;
  net_amount: number;
  currency: string;
  type: 'plan' | 'addon';
  tax_inclusive: boolean;
  hsn_code: null;
  sac_code: null;
  tax_rate: null;
  unit: null;
  quantity: number;
  taxes: unknown[];
};
