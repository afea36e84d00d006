/**
 * The messages Polaris sends, named after the runbook's templates ("Communication Procedures"):
 * the internal page to the roster, its cadence reminder, and the user-facing ones.
 */
export const NOTIFICATION_TEMPLATES = [
  'incident-page',
  'status-update-due',
  'service-outage',
  'incident-update',
  'maintenance-notice',
  'maintenance-reminder',
  'status-subscribe-confirm',
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

/** Who a notification goes to; resolved to addresses when it is queued. */
export type NotificationAudience =
  /** The roster members at one escalation level of the policy. */
  | { kind: 'roster'; level: number }
  /** Users whose payments failed or subscriptions changed while a payment incident was open. */
  | { kind: 'affected-users'; incidentId: string }
  /** Confirmed status-page subscribers. */
  | { kind: 'status-subscribers' }
  /** One address (a subscription's confirmation mail). */
  | { kind: 'email'; address: string };

/**
 * One notification to queue. `key` makes it exactly-once: queuing the same key again does nothing,
 * so a scheduler that runs twice, or a new leader after a failover, never sends it twice.
 */
export type NotificationRequest = {
  key: string;
  template: NotificationTemplate;
  audience: NotificationAudience;
  /** The figures the template fills in (incident id, title, severity, times, message, ...). */
  vars: Record<string, string | number | null>;
  incidentId?: string;
};

/** Queues a notification in the outbox (services/notifications); `queued` counts new deliveries. */
export type Notify = (request: NotificationRequest) => Promise<{ queued: number }>;
