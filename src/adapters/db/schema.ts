import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { PaymentStatus, RefundStatus, SubscriptionStatus } from '../../domain/billing-state.ts';
import type { InboxStatus } from '../../domain/inbox-retry.ts';
import type { BillingCycle, PaidTier, Tier } from '../../domain/plans.ts';
import type { AlertTables } from './schema-alerts.ts';
import type { AuthDatabase } from './schema-auth.ts';
import type { CheckoutTables } from './schema-checkout.ts';
import type { DeploymentTables } from './schema-deployments.ts';
import type { DrillTables } from './schema-drills.ts';
import type { FlagsTables } from './schema-flags.ts';
import type { IncidentTables } from './schema-incidents.ts';
import type { MaintenanceTables } from './schema-maintenance.ts';
import type { NotificationTables } from './schema-notifications.ts';
import type { SchedulerTables } from './schema-scheduler.ts';
import type { SmokeTables } from './schema-smoke.ts';
import type { StatusTables } from './schema-status.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** int8 comes back from pg as a string; we never store amounts in it. */
type BigId = ColumnType<string, never, never>;

export interface PlanCatalogTable {
  tier: string;
  blueprint_limit: number | null;
  per_seat: boolean;
  price_monthly_paise: number;
  price_yearly_paise: number;
  updated_at: Timestamp;
}

export interface UserProfilesTable {
  user_id: Generated<string>;
  email: string;
  full_name: string | null;
  role: Generated<'user' | 'admin'>;
  usage_period_start: NullableTimestamp;
  usage_period_end: NullableTimestamp;
  disabled_at: NullableTimestamp;
  password_reset_required_at: NullableTimestamp;
  subscription_tier: Generated<Tier>;
  subscription_id: string | null;
  blueprint_creation_count: Generated<number>;
  blueprint_saving_count: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SubscriptionsTable {
  subscription_id: Generated<string>;
  user_id: string;
  razorpay_subscription_id: string | null;
  razorpay_plan_id: string | null;
  razorpay_customer_id: string | null;
  subscription_tier: PaidTier;
  billing_cycle: BillingCycle;
  seats: Generated<number>;
  plan_amount: number;
  currency: Generated<string>;
  status: Generated<SubscriptionStatus>;
  current_start: NullableTimestamp;
  current_end: NullableTimestamp;
  charge_at: NullableTimestamp;
  start_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  total_count: number | null;
  paid_count: Generated<number>;
  remaining_count: number | null;
  auth_attempts: Generated<number>;
  cancel_at_cycle_end: Generated<boolean>;
  cancelled_at: NullableTimestamp;
  last_event_at: NullableTimestamp;
  notes: Generated<unknown>;
  /** Razorpay's hosted page of the subscription, where a failed renewal can be paid (0104). */
  short_url: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PaymentsTable {
  payment_id: Generated<string>;
  subscription_id: string | null;
  user_id: string | null;
  razorpay_payment_id: string;
  razorpay_order_id: string | null;
  razorpay_invoice_id: string | null;
  amount: number;
  currency: Generated<string>;
  status: PaymentStatus;
  method: string | null;
  error_code: string | null;
  error_description: string | null;
  error_source: string | null;
  error_step: string | null;
  error_reason: string | null;
  error_message: string | null;
  amount_refunded: Generated<number>;
  refund_status: 'partial' | 'full' | null;
  refunded_at: NullableTimestamp;
  captured_at: NullableTimestamp;
  failed_at: NullableTimestamp;
  billing_period_start: NullableTimestamp;
  billing_period_end: NullableTimestamp;
  last_event_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RefundsTable {
  refund_id: Generated<string>;
  razorpay_refund_id: string;
  payment_id: string;
  razorpay_payment_id: string;
  amount: number;
  currency: Generated<string>;
  status: RefundStatus;
  speed_processed: string | null;
  last_event_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Generated<Date>;
}

export interface RazorpayWebhookEventsTable {
  id: Generated<BigId>;
  event_id: string;
  event_type: string;
  account_id: string | null;
  entity_id: string | null;
  event_created_at: NullableTimestamp;
  payload: string;
  processing_status: Generated<InboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  error_message: string | null;
  created_at: Generated<Date>;
  processed_at: NullableTimestamp;
  /** Fingerprint of the webhook secret that verified the event (null before 0103). */
  secret_fingerprint: string | null;
}

export interface RequestLogsTable {
  id: Generated<BigId>;
  user_id: string | null;
  method: string;
  path: string;
  status: number;
  ip: string | null;
  duration_ms: number | null;
  request_id: string | null;
  user_agent: string | null;
  timestamp: ColumnType<Date, Date | string | undefined, never>;
}

export interface AuditLogTable {
  id: Generated<BigId>;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  details: Generated<unknown>;
  created_at: Generated<Date>;
}

export interface PolarisMigrationsTable {
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

/** The tables Kysely knows; names are the runbook's (DESIGN §6). */
export interface Database
  extends CheckoutTables,
    AuthDatabase,
    DeploymentTables,
    DrillTables,
    FlagsTables,
    SmokeTables,
    IncidentTables,
    MaintenanceTables,
    AlertTables,
    SchedulerTables,
    StatusTables,
    NotificationTables {
  plan_catalog: PlanCatalogTable;
  user_profiles: UserProfilesTable;
  subscriptions: SubscriptionsTable;
  payments: PaymentsTable;
  razorpay_webhook_events: RazorpayWebhookEventsTable;
  request_logs: RequestLogsTable;
  audit_log: AuditLogTable;
  refunds: RefundsTable;
  polaris_migrations: PolarisMigrationsTable;
}

export type UserProfile = Selectable<UserProfilesTable>;
export type NewUserProfile = Insertable<UserProfilesTable>;
export type Subscription = Selectable<SubscriptionsTable>;
export type Payment = Selectable<PaymentsTable>;
export type NewSubscription = Insertable<SubscriptionsTable>;
export type NewPayment = Insertable<PaymentsTable>;
export type Refund = Selectable<RefundsTable>;
export type NewRefund = Insertable<RefundsTable>;
