import type { Insertable, Updateable } from 'kysely';
import type { Executor } from './executor.ts';
import type { Payment, PaymentsTable, Subscription, SubscriptionsTable } from './schema.ts';

/** Columns the state machine writes on a subscription. */
export type SubscriptionPatch = Updateable<SubscriptionsTable>;
/** Columns the state machine writes on a payment. */
export type PaymentPatch = Updateable<PaymentsTable>;

/** Queries for subscriptions and payments as the state machine writes them. */
export function createBillingRepo(db: Executor) {
  return {
    /** The subscription with this Razorpay id, locked for the rest of the transaction when asked. */
    async findSubscriptionByRazorpayId(
      razorpayId: string,
      options: { forUpdate?: boolean } = {},
    ): Promise<Subscription | undefined> {
      let q = db.selectFrom('subscriptions').selectAll().where('razorpay_subscription_id', '=', razorpayId);
      if (options.forUpdate) q = q.forUpdate();
      return q.executeTakeFirst();
    },

    /** The subscription with our id, optionally locked. */
    async findSubscriptionById(id: string, options: { forUpdate?: boolean } = {}) {
      let q = db.selectFrom('subscriptions').selectAll().where('subscription_id', '=', id);
      if (options.forUpdate) q = q.forUpdate();
      return q.executeTakeFirst();
    },

    /** Whether a user profile exists (ids that are not uuids simply do not). */
    async userExists(userId: string): Promise<boolean> {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(userId)) return false;
      const row = await db
        .selectFrom('user_profiles')
        .select('user_id')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Inserts a subscription unless its Razorpay id is already stored; undefined when it was. */
    async insertSubscription(values: Insertable<SubscriptionsTable>): Promise<Subscription | undefined> {
      return db
        .insertInto('subscriptions')
        .values(values)
        .onConflict((oc) => oc.column('razorpay_subscription_id').doNothing())
        .returningAll()
        .executeTakeFirst();
    },

    /** Conditional update: only while the row is still in `expectedStatus`; undefined means a conflict. */
    async updateSubscription(
      id: string,
      expectedStatus: string,
      patch: SubscriptionPatch,
    ): Promise<Subscription | undefined> {
      return db
        .updateTable('subscriptions')
        .set(patch)
        .where('subscription_id', '=', id)
        .where('status', '=', expectedStatus)
        .returningAll()
        .executeTakeFirst();
    },

    /** The payment with this Razorpay id, optionally locked. */
    async findPaymentByRazorpayId(
      razorpayId: string,
      options: { forUpdate?: boolean } = {},
    ): Promise<Payment | undefined> {
      let q = db.selectFrom('payments').selectAll().where('razorpay_payment_id', '=', razorpayId);
      if (options.forUpdate) q = q.forUpdate();
      return q.executeTakeFirst();
    },

    /** Inserts a payment unless its Razorpay id is already stored; undefined when it was. */
    async insertPayment(values: Insertable<PaymentsTable>): Promise<Payment | undefined> {
      return db
        .insertInto('payments')
        .values(values)
        .onConflict((oc) => oc.column('razorpay_payment_id').doNothing())
        .returningAll()
        .executeTakeFirst();
    },

    /** Conditional update of a payment still in `expectedStatus`; undefined means a conflict. */
    async updatePayment(
      id: string,
      expectedStatus: string,
      patch: PaymentPatch,
    ): Promise<Payment | undefined> {
      return db
        .updateTable('payments')
        .set(patch)
        .where('payment_id', '=', id)
        .where('status', '=', expectedStatus)
        .returningAll()
        .executeTakeFirst();
    },
  };
}

/** The billing repository's queries. */
export type BillingRepo = ReturnType<typeof createBillingRepo>;
