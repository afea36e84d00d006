import { sql } from 'kysely';
import type { Executor } from './executor.ts';
import type { Payment, Refund } from './schema.ts';

/** Where a page of payment history starts: the (created_at, payment_id) of the row it follows. */
export type PaymentCursor = { createdAt: Date; paymentId: string };

/** One page of a user's payments, newest first, each with its refunds (oldest first). */
export type PaymentHistoryPage = {
  rows: (Payment & { refunds: Refund[] })[];
  /** The cursor of the next (older) page; null on the last page. */
  older: PaymentCursor | null;
  /** The cursor of the previous (newer) page; null on the first page. */
  newer: PaymentCursor | null;
};

const cursorOf = (p: Payment): PaymentCursor => ({ createdAt: p.created_at, paymentId: p.payment_id });

/**
 * A user's payment history paged by keyset on (created_at, payment_id), which
 * payments_user_history_idx serves as one index range whatever the page's depth.
 */
export function createPaymentHistoryRepo(db: Executor) {
  const rowsFrom = (userId: string, direction: 'older' | 'newer', from: PaymentCursor | null, n: number) => {
    let query = db.selectFrom('payments').selectAll().where('user_id', '=', userId);
    if (from) {
      const row = sql`(${from.createdAt}::timestamptz, ${from.paymentId}::uuid)`;
      query = query.where(
        sql<boolean>`(created_at, payment_id) ${sql.raw(direction === 'older' ? '<' : '>')} ${row}`,
      );
    }
    const order = direction === 'older' ? 'desc' : 'asc';
    return query.orderBy('created_at', order).orderBy('payment_id', order).limit(n).execute();
  };

  return {
    /**
     * `limit` payments older than `older` (or the newest ones when both cursors are absent), or
     * newer than `newer` when that is given; newest first either way.
     */
    async page(
      userId: string,
      at: { older?: PaymentCursor | undefined; newer?: PaymentCursor | undefined; limit: number },
    ): Promise<PaymentHistoryPage> {
      const backwards = at.newer !== undefined && at.older === undefined;
      const fetched = await rowsFrom(
        userId,
        backwards ? 'newer' : 'older',
        (backwards ? at.newer : at.older) ?? null,
        at.limit + 1,
      );
      const more = fetched.length > at.limit;
      const payments = fetched.slice(0, at.limit);
      if (backwards) payments.reverse();
      const ids = payments.map((p) => p.payment_id);
      const refunds =
        ids.length === 0
          ? []
          : await db
              .selectFrom('refunds')
              .selectAll()
              .where('payment_id', 'in', ids)
              .orderBy('created_at')
              .orderBy('refund_id')
              .execute();
      const first = payments[0];
      const last = payments.at(-1);
      const startedAtTop = !backwards && at.older === undefined;
      return {
        rows: payments.map((p) => ({ ...p, refunds: refunds.filter((r) => r.payment_id === p.payment_id) })),
        older: last && (backwards || more) ? cursorOf(last) : null,
        newer: first && !startedAtTop && (!backwards || more) ? cursorOf(first) : null,
      };
    },

    /** How many payments the user has in all (an index-only count on payments_user_history_idx). */
    async count(userId: string): Promise<number> {
      const row = await db
        .selectFrom('payments')
        .select(sql<string>`count(*)`.as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

/** The payment-history queries of /account. */
export type PaymentHistoryRepo = ReturnType<typeof createPaymentHistoryRepo>;
