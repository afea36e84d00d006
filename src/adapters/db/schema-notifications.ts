import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** Where a delivery stands (migrations/0012_notifications). */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'uncertain';

/** The transports a delivery goes out on. */
export type DeliveryChannel = 'email' | 'slack' | 'webhook' | 'console';

/** Where a status-page subscription stands. */
export type SubscriptionState = 'pending' | 'confirmed' | 'unsubscribed';

/** One notification request, stored once by its key. */
export interface NotificationRequestsTable {
  key: string;
  template: string;
  audience: ColumnType<unknown, string, string>;
  vars: ColumnType<unknown, string, string>;
  incident_id: string | null;
  created_at: Timestamp;
}

/** One delivery of a request to one recipient on one channel (the outbox). */
export interface NotificationsTable {
  id: ColumnType<string, never, never>;
  request_key: string;
  channel: DeliveryChannel;
  recipient: string;
  subject: string;
  body: string;
  unsubscribe_url: string | null;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  claimed_at: NullableTimestamp;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

/** One email address subscribed to status-page updates. */
export interface StatusSubscriptionsTable {
  id: ColumnType<string, never, never>;
  email: string;
  status: ColumnType<SubscriptionState, SubscriptionState | undefined, SubscriptionState>;
  confirm_token_hash: string;
  unsubscribe_token: string;
  confirm_sent_at: Timestamp;
  created_at: Timestamp;
  confirmed_at: NullableTimestamp;
  unsubscribed_at: NullableTimestamp;
}

/** The notification tables Kysely knows; Database in schema.ts extends this. */
export interface NotificationTables {
  notification_requests: NotificationRequestsTable;
  notifications: NotificationsTable;
  status_subscriptions: StatusSubscriptionsTable;
}
