import { type Insertable, type RawBuilder, sql, type Updateable } from 'kysely';
import { isUuid } from '../../domain/ids.ts';
import type { Executor } from './executor.ts';
import type {
  NewRefund,
  Payment,
  PaymentsTable,
  Refund,
  RefundsTable,
  Subscription,
  SubscriptionsTable,
} from './schema.ts';

/** Columns the state machine writes on a subscription. */
export type SubscriptionPatch = Updateable<SubscriptionsTable>;
/** Columns the state machine writes on a payment. */
export type PaymentPatch = Updateable<PaymentsTable>;

// The columns the state machine owns, with their SQL types, for the set-based writes below.
const SUBSCRIPTION_STATE_COLUMNS = {
  status: 'text',
  razorpay_plan_id: 'text',
  razorpay_customer_id: 'text',
  subscription_tier: 'text',
  billing_cycle: 'text',
  seats: 'integer',
  plan_amount: 'integer',
  current_start: 'timestamptz',
  current_end: 'timestamptz',
  charge_at: 'timestamptz',
  start_at: 'timestamptz',
  ended_at: 'timestamptz',
  total_count: 'integer',
  paid_count: 'integer',
  remaining_count: 'integer',
  auth_attempts: 'integer',
  cancel_at_cycle_end: 'boolean',
  cancelled_at: 'timestamptz',
  last_event_at: 'timestamptz',
  short_url: 'text',
} as const satisfies Partial<Record<keyof SubscriptionsTable, string>>;

const PAYMENT_STATE_COLUMNS = {
  status: 'text',
  method: 'text',
  razorpay_order_id: 'text',
  razorpay_invoice_id: 'text',
  error_code: 'text',
  error_description: 'text',
  error_source: 'text',
  error_step: 'text',
  error_reason: 'text',
  error_message: 'text',
  amount_refunded: 'integer',
  refund_status: 'text',
  refunded_at: 'timestamptz',
  captured_at: 'timestamptz',
  failed_at: 'timestamptz',
  subscription_id: 'uuid',
  user_id: 'uuid',
  billing_period_start: 'timestamptz',
  billing_period_end: 'timestamptz',
  last_event_at: 'timestamptz',
} as const satisfies Partial<Record<keyof PaymentsTable, string>>;

const REFUND_STATE_COLUMNS = {
  status: 'text',
  speed_processed: 'text',
  last_event_at: 'timestamptz',
} as const satisfies Partial<Record<keyof RefundsTable, string>>;

/** A row's new state-machine columns, written only while it is still in `expectedStatus`. */
export type ConditionalWrite<Row> = { id: string; expectedStatus: string; row: Row };

// UPDATE … FROM jsonb_to_recordset: one statement for many rows, each conditional on its status.
function conditionalUpdate(
  table: 'subscriptions' | 'payments' | 'refunds',
  key: 'subscription_id' | 'payment_id' | 'refund_id',
  columns: Record<string, string>,
  writes: ConditionalWrite<Record<string, unknown>>[],
): RawBuilder<unknown> {
  const names = Object.keys(columns);
  const records = writes.map((w) => {
    const record: Record<string, unknown> = { _id: w.id, _expected: w.expectedStatus };
    for (const name of names) record[name] = w.row[name] ?? null;
    return record;
  });
  const set = names.map((n) => `${n} = x.${n}`).join(', ');
  const shape = ['_id uuid', '_expected text', ...names.map((n) => `${n} ${columns[n]}`)].join(', ');
  return sql`UPDATE ${sql.raw(table)} t SET ${sql.raw(set)}
    FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS x(${sql.raw(shape)})
    WHERE t.${sql.raw(key)} = x._id AND t.status = x._expected`;
}

/** Queries for subscriptions and payments as the state machine writes them. */
export function createBillingRepo(db: Executor) {
  return {
    /** Subscriptions with these Razorpay ids, locked in id order (so concurrent batches never deadlock). */
    async lockSubscriptionsByRazorpayIds(razorpayIds: string[]): Promise<Subscription[]> {
      if (razorpayIds.length === 0) return [];
      return db
        .selectFrom('subscriptions')
        .selectAll()
        .where('razorpay_subscription_id', 'in', razorpayIds)
        .orderBy('razorpay_subscription_id')
        .forUpdate()
        .execute();
    },

    /** Which of these ids are user profiles (ids that are not uuids simply are not). */
    async existingUserIds(userIds: string[]): Promise<Set<string>> {
      const ids = userIds.filter(isUuid);
      if (ids.length === 0) return new Set();
      const rows = await db
        .selectFrom('user_profiles')
        .select('user_id')
        .where('user_id', 'in', ids)
        .execute();
      return new Set(rows.map((r) => r.user_id));
    },

    /** Which of these ids are taken by a subscription row already. */
    async takenSubscriptionIds(ids: string[]): Promise<Set<string>> {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return new Set();
      const rows = await db
        .selectFrom('subscriptions')
        .select('subscription_id')
        .where('subscription_id', 'in', valid)
        .execute();
      return new Set(rows.map((r) => r.subscription_id));
    },

    /** Inserts subscriptions whose Razorpay id is not stored yet; returns the rows it inserted. */
    async insertSubscriptions(values: Insertable<SubscriptionsTable>[]): Promise<Subscription[]> {
      if (values.length === 0) return [];
      return db
        .insertInto('subscriptions')
        .values(values)
        .onConflict((oc) => oc.column('razorpay_subscription_id').doNothing())
        .returningAll()
        .execute();
    },

    /** Writes each subscription's state columns while its status is still the expected one; the count written. */
    async writeSubscriptions(writes: ConditionalWrite<Subscription>[]): Promise<number> {
      if (writes.length === 0) return 0;
      const result = await conditionalUpdate(
        'subscriptions',
        'subscription_id',
        SUBSCRIPTION_STATE_COLUMNS,
        writes,
      ).execute(db);
      return Number(result.numAffectedRows ?? 0);
    },

    /** Payments with these Razorpay ids, locked in id order. */
    async lockPaymentsByRazorpayIds(razorpayIds: string[]): Promise<Payment[]> {
      if (razorpayIds.length === 0) return [];
      return db
        .selectFrom('payments')
        .selectAll()
        .where('razorpay_payment_id', 'in', razorpayIds)
        .orderBy('razorpay_payment_id')
        .forUpdate()
        .execute();
    },

    /** Which of these payments are stored already linked to a subscription. */
    async linkedPaymentIds(razorpayIds: string[]): Promise<Set<string>> {
      if (razorpayIds.length === 0) return new Set();
      const rows = await db
        .selectFrom('payments')
        .select('razorpay_payment_id')
        .where('razorpay_payment_id', 'in', razorpayIds)
        .where('subscription_id', 'is not', null)
        .execute();
      return new Set(rows.map((r) => r.razorpay_payment_id));
    },

    /** Inserts payments whose Razorpay id is not stored yet; returns the rows it inserted. */
    async insertPayments(values: Insertable<PaymentsTable>[]): Promise<Payment[]> {
      if (values.length === 0) return [];
      return db
        .insertInto('payments')
        .values(values)
        .onConflict((oc) => oc.column('razorpay_payment_id').doNothing())
        .returningAll()
        .execute();
    },

    /** Writes each payment's state columns while its status is still the expected one; the count written. */
    async writePayments(writes: ConditionalWrite<Payment>[]): Promise<number> {
      if (writes.length === 0) return 0;
      const result = await conditionalUpdate('payments', 'payment_id', PAYMENT_STATE_COLUMNS, writes).execute(
        db,
      );
      return Number(result.numAffectedRows ?? 0);
    },

    /** Every refund of these payments (by Razorpay payment id), locked in id order. */
    async lockRefundsOfPayments(razorpayPaymentIds: string[]): Promise<Refund[]> {
      if (razorpayPaymentIds.length === 0) return [];
      return db
        .selectFrom('refunds')
        .selectAll()
        .where('razorpay_payment_id', 'in', razorpayPaymentIds)
        .orderBy('razorpay_refund_id')
        .forUpdate()
        .execute();
    },

    /** Inserts refunds not stored yet; returns the rows it inserted. */
    async insertRefunds(values: NewRefund[]): Promise<Refund[]> {
      if (values.length === 0) return [];
      return db
        .insertInto('refunds')
        .values(values)
        .onConflict((oc) => oc.column('razorpay_refund_id').doNothing())
        .returningAll()
        .execute();
    },

    /** Writes each refund's status while it is still the expected one; the count written. */
    async writeRefunds(writes: ConditionalWrite<Refund>[]): Promise<number> {
      if (writes.length === 0) return 0;
      const result = await conditionalUpdate('refunds', 'refund_id', REFUND_STATE_COLUMNS, writes).execute(
        db,
      );
      return Number(result.numAffectedRows ?? 0);
    },
  };
}

/** The billing repository's queries. */
export type BillingRepo = ReturnType<typeof createBillingRepo>;
