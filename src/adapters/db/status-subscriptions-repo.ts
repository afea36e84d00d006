import type { Selectable } from 'kysely';
import type { Executor } from './executor.ts';
import type { StatusSubscriptionsTable, SubscriptionState } from './schema-notifications.ts';

/** One status-page subscription (without its confirmation token's hash). */
export type StatusSubscription = {
  id: string;
  email: string;
  status: SubscriptionState;
  unsubscribeToken: string;
  confirmSentAt: Date;
  createdAt: Date;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
};

const toSubscription = (row: Selectable<StatusSubscriptionsTable>): StatusSubscription => ({
  id: String(row.id),
  email: row.email,
  status: row.status,
  unsubscribeToken: row.unsubscribe_token,
  confirmSentAt: row.confirm_sent_at,
  createdAt: row.created_at,
  confirmedAt: row.confirmed_at,
  unsubscribedAt: row.unsubscribed_at,
});

/** Status-page email subscriptions: double opt-in by a mailed token, unsubscribe by another. */
export function createStatusSubscriptionsRepo(db: Executor) {
  return {
    /** The subscription of an address (lower case), or undefined; locks it for the transaction. */
    async findByEmail(email: string): Promise<StatusSubscription | undefined> {
      const row = await db
        .selectFrom('status_subscriptions')
        .selectAll()
        .where('email', '=', email)
        .forUpdate()
        .executeTakeFirst();
      return row && toSubscription(row);
    },

    /** A new pending subscription; undefined when the address raced in meanwhile. */
    async insertPending(fields: {
      email: string;
      confirmTokenHash: string;
      unsubscribeToken: string;
      at: Date;
    }): Promise<StatusSubscription | undefined> {
      const row = await db
        .insertInto('status_subscriptions')
        .values({
          email: fields.email,
          confirm_token_hash: fields.confirmTokenHash,
          unsubscribe_token: fields.unsubscribeToken,
          confirm_sent_at: fields.at,
          created_at: fields.at,
        })
        .onConflict((oc) => oc.constraint('status_subscriptions_email_key').doNothing())
        .returningAll()
        .executeTakeFirst();
      return row && toSubscription(row);
    },

    /** A fresh confirmation token for a pending or unsubscribed address (back to pending). */
    async reissue(id: string, confirmTokenHash: string, at: Date): Promise<StatusSubscription | undefined> {
      const row = await db
        .updateTable('status_subscriptions')
        .set({ status: 'pending', confirm_token_hash: confirmTokenHash, confirm_sent_at: at })
        .where('id', '=', id)
        .where('status', 'in', ['pending', 'unsubscribed'])
        .returningAll()
        .executeTakeFirst();
      return row && toSubscription(row);
    },

    /** The subscription a confirmation token belongs to, whatever its status. */
    async findByConfirmHash(hash: string): Promise<StatusSubscription | undefined> {
      const row = await db
        .selectFrom('status_subscriptions')
        .selectAll()
        .where('confirm_token_hash', '=', hash)
        .executeTakeFirst();
      return row && toSubscription(row);
    },

    /** Confirms a pending subscription; undefined when it was not pending. */
    async confirm(id: string, at: Date): Promise<StatusSubscription | undefined> {
      const row = await db
        .updateTable('status_subscriptions')
        .set({ status: 'confirmed', confirmed_at: at })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst();
      return row && toSubscription(row);
    },

    /** The subscription an unsubscribe token belongs to. */
    async findByUnsubscribeToken(token: string): Promise<StatusSubscription | undefined> {
      const row = await db
        .selectFrom('status_subscriptions')
        .selectAll()
        .where('unsubscribe_token', '=', token)
        .executeTakeFirst();
      return row && toSubscription(row);
    },

    /** Ends a subscription; undefined when it had ended already. */
    async unsubscribe(id: string, at: Date): Promise<StatusSubscription | undefined> {
      const row = await db
        .updateTable('status_subscriptions')
        .set({ status: 'unsubscribed', unsubscribed_at: at })
        .where('id', '=', id)
        .where('status', '<>', 'unsubscribed')
        .returningAll()
        .executeTakeFirst();
      return row && toSubscription(row);
    },

    /** Every confirmed subscription, oldest first. */
    async listConfirmed(): Promise<StatusSubscription[]> {
      const rows = await db
        .selectFrom('status_subscriptions')
        .selectAll()
        .where('status', '=', 'confirmed')
        .orderBy('id')
        .execute();
      return rows.map(toSubscription);
    },
  };
}

/** The status subscriptions' queries. */
export type StatusSubscriptionsRepo = ReturnType<typeof createStatusSubscriptionsRepo>;
