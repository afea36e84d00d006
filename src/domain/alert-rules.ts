import { z } from 'zod';
import { DURATION_HINT, parseDuration } from './flags.ts';
import type { Component, IncidentType, Severity } from './incidents.ts';

const duration = z.string().refine((v) => parseDuration(v) !== undefined, {
  error: (issue) => `cannot read '${String(issue.input)}'; ${DURATION_HINT}`,
});
const count = z.int().min(1).max(1_000_000);
const percent = z.number().gt(0).max(100);

/** The alert rules' thresholds as the issue sets them (issue 11 §4); `clearFor` is how long a condition must stay clear before its incident resolves itself. */
export const DEFAULT_ALERTS = {
  clearFor: '10m',
  paymentFailureRate: { window: '5m', minAttempts: 20, mediumOverPercent: 5, highOverPercent: 10 },
  paymentsImpossible: { checkoutFailuresInARow: 5, window: '5m' },
  webhookFailures: { inARow: 3, overPercent: 1, minEvents: 100, window: '15m' },
  webhookBacklog: { oldestPendingOver: '5m' },
  signatureFailures: { atLeast: 10, window: '1m' },
} as const;

/** The `alerts` section of the policy file; each key left out keeps its default. */
export const AlertsPolicySchema = z
  .strictObject({
    clearFor: duration.default(DEFAULT_ALERTS.clearFor),
    paymentFailureRate: z
      .strictObject({
        window: duration,
        minAttempts: count,
        mediumOverPercent: percent,
        highOverPercent: percent,
      })
      .default(DEFAULT_ALERTS.paymentFailureRate),
    paymentsImpossible: z
      .strictObject({ checkoutFailuresInARow: count, window: duration })
      .default(DEFAULT_ALERTS.paymentsImpossible),
    webhookFailures: z
      .strictObject({ inARow: count, overPercent: percent, minEvents: count, window: duration })
      .default(DEFAULT_ALERTS.webhookFailures),
    webhookBacklog: z.strictObject({ oldestPendingOver: duration }).default(DEFAULT_ALERTS.webhookBacklog),
    signatureFailures: z
      .strictObject({ atLeast: count, window: duration })
      .default(DEFAULT_ALERTS.signatureFailures),
  })
  .superRefine((alerts, ctx) => {
    const rate = alerts.paymentFailureRate;
    if (rate.highOverPercent <= rate.mediumOverPercent) {
      ctx.addIssue({
        code: 'custom',
        path: ['paymentFailureRate', 'highOverPercent'],
        message: `must be above mediumOverPercent (${rate.mediumOverPercent})`,
      });
    }
  });

/** The validated alert thresholds. */
export type AlertsPolicy = z.output<typeof AlertsPolicySchema>;

/** The rules, by the rule_key of the incidents they open. */
export const ALERT_RULES = [
  'payment-failure-rate',
  'payments-impossible',
  'webhook-failures',
  'webhook-backlog',
  'database-unreachable',
  'signature-failures',
] as const;
export type AlertRuleKey = (typeof ALERT_RULES)[number];

/** What a rule's incident is: severity (the worst it can reach), type, components and title. */
export type AlertRuleInfo = {
  key: AlertRuleKey;
  severity: Severity;
  type: IncidentType;
  components: Component[];
  title: string;
};

/** Each rule's incident, as the issue classifies it. */
export const RULE_INFO: Readonly<Record<AlertRuleKey, AlertRuleInfo>> = {
  'payment-failure-rate': {
    key: 'payment-failure-rate',
    severity: 'high',
    type: 'payment.processing',
    components: ['checkout'],
    title: 'Payment failure rate above threshold',
  },
  'payments-impossible': {
    key: 'payments-impossible',
    severity: 'critical',
    type: 'payment',
    components: ['checkout'],
    title: 'Payments impossible',
  },
  'webhook-failures': {
    key: 'webhook-failures',
    severity: 'high',
    type: 'payment.webhooks',
    components: ['webhooks'],
    title: 'Webhook processing failing',
  },
  'webhook-backlog': {
    key: 'webhook-backlog',
    severity: 'high',
    type: 'payment.webhooks',
    components: ['webhooks'],
    title: 'Webhook events waiting too long',
  },
  'database-unreachable': {
    key: 'database-unreachable',
    severity: 'critical',
    type: 'infrastructure.database',
    components: ['database'],
    title: 'Database unreachable',
  },
  'signature-failures': {
    key: 'signature-failures',
    severity: 'high',
    type: 'security',
    components: ['webhooks'],
    title: 'Burst of webhook signature failures',
  },
};

/** What the database says right now, as the rules read it (null: could not be measured). */
export type AlertReadings = {
  /** `firstFailedAt`: the oldest failed payment in the window, where a failure-rate incident began. */
  payments: { attempts: number; failed: number; firstFailedAt?: Date | null };
  checkout: { lastStatuses: number[]; paymentsOn: boolean; otherOpenIncidents: number };
  webhooks: { recent: number; failed: number; lastOutcomes: ('ok' | 'failed')[] };
  backlog: { oldestPendingSeconds: number; pending: number };
  signatures: { failures: number };
};

/** One rule's verdict: firing (with the severity it warrants) or clear, the value and what it means. */
export type AlertVerdict = {
  key: AlertRuleKey;
  firing: boolean;
  severity: Severity;
  value: string;
  threshold: string;
  detail: string;
  /** When the problem began, if the readings show it earlier than this evaluation. */
  startedAt?: Date;
};

const seconds = (d: string) => Math.round((parseDuration(d) ?? 0) / 1000);
const pct = (n: number) => `${(Math.round(n * 10) / 10).toFixed(1)} %`;

/** A rule's threshold in words, as `polaris alerts` shows it. */
export function thresholdOf(key: AlertRuleKey, a: AlertsPolicy): string {
  switch (key) {
    case 'payment-failure-rate': {
      const r = a.paymentFailureRate;
      return `> ${r.mediumOverPercent} % medium, > ${r.highOverPercent} % high, over ${r.window}, ≥ ${r.minAttempts} attempts`;
    }
    case 'payments-impossible':
      return `last ${a.paymentsImpossible.checkoutFailuresInARow} checkouts failed (within ${a.paymentsImpossible.window}), or payments off without an incident`;
    case 'webhook-failures': {
      const w = a.webhookFailures;
      return `${w.inARow} in a row, or > ${w.overPercent} % of ≥ ${w.minEvents} events over ${w.window}`;
    }
    case 'webhook-backlog':
      return `oldest pending > ${a.webhookBacklog.oldestPendingOver}`;
    case 'database-unreachable':
      return 'no answer to a ping within 3 s; spooled to disk, raised when it answers';
    case 'signature-failures':
      return `≥ ${a.signatureFailures.atLeast} rejected signatures in ${a.signatureFailures.window}`;
  }
}

/** Judges every database-backed rule on its readings (pure). */
export function judgeReadings(r: AlertReadings, a: AlertsPolicy): AlertVerdict[] {
  const verdict = (key: AlertRuleKey, v: Omit<AlertVerdict, 'key' | 'threshold'>): AlertVerdict => ({
    key,
    threshold: thresholdOf(key, a),
    ...v,
  });
  const rate = a.paymentFailureRate;
  const failRate = r.payments.attempts === 0 ? 0 : (100 * r.payments.failed) / r.payments.attempts;
  const enough = r.payments.attempts >= rate.minAttempts;
  const rateHigh = enough && failRate > rate.highOverPercent;
  const rateMedium = enough && failRate > rate.mediumOverPercent;

  const inARow = a.paymentsImpossible.checkoutFailuresInARow;
  const lastCheckouts = r.checkout.lastStatuses.slice(0, inARow);
  const checkoutFailing =
    r.checkout.paymentsOn && lastCheckouts.length >= inARow && lastCheckouts.every((s) => s >= 500);
  const offUnexplained = !r.checkout.paymentsOn && r.checkout.otherOpenIncidents === 0;
  const failedCheckouts = r.checkout.lastStatuses.filter((s) => s >= 500).length;

  const w = a.webhookFailures;
  const webhookRate = r.webhooks.recent === 0 ? 0 : (100 * r.webhooks.failed) / r.webhooks.recent;
  const row = r.webhooks.lastOutcomes.slice(0, w.inARow);
  const failedInARow = row.length >= w.inARow && row.every((o) => o === 'failed');
  const webhookRateOver = r.webhooks.recent >= w.minEvents && webhookRate > w.overPercent;

  const backlogOver = r.backlog.oldestPendingSeconds > seconds(a.webhookBacklog.oldestPendingOver);
  return [
    verdict('payment-failure-rate', {
      firing: rateMedium,
      severity: rateHigh ? 'high' : 'medium',
      value: `${pct(failRate)} (${r.payments.failed} of ${r.payments.attempts})`,
      detail: `payment failure rate ${pct(failRate)}: ${r.payments.failed} failed of ${r.payments.attempts} attempts in the last ${rate.window}`,
      ...(r.payments.firstFailedAt ? { startedAt: r.payments.firstFailedAt } : {}),
    }),
    verdict('payments-impossible', {
      firing: checkoutFailing || offUnexplained,
      severity: 'critical',
      value: !r.checkout.paymentsOn
        ? `payments off, ${r.checkout.otherOpenIncidents} other open incident(s)`
        : `${failedCheckouts} of last ${r.checkout.lastStatuses.length} checkouts failed`,
      detail: offUnexplained
        ? 'the payments flag is off and no incident is open to explain it'
        : `the last ${lastCheckouts.length} checkout requests failed with 5xx (${lastCheckouts.join(', ')})`,
    }),
    verdict('webhook-failures', {
      firing: failedInARow || webhookRateOver,
      severity: 'high',
      value: `${pct(webhookRate)} (${r.webhooks.failed} of ${r.webhooks.recent}), last ${row.length}: ${row.join(' ') || 'none'}`,
      detail: failedInARow
        ? `the last ${w.inARow} webhook events failed processing`
        : `${r.webhooks.failed} of ${r.webhooks.recent} webhook events failed processing in the last ${w.window} (${pct(webhookRate)})`,
    }),
    verdict('webhook-backlog', {
      firing: backlogOver,
      severity: 'high',
      value: `${Math.round(r.backlog.oldestPendingSeconds)} s (${r.backlog.pending} pending)`,
      detail: `the oldest pending webhook event is ${Math.round(r.backlog.oldestPendingSeconds)} s old (${r.backlog.pending} pending)`,
    }),
    verdict('signature-failures', {
      firing: r.signatures.failures >= a.signatureFailures.atLeast,
      severity: 'high',
      value: `${r.signatures.failures} in ${a.signatureFailures.window}`,
      detail: `${r.signatures.failures} webhook deliveries with a bad signature in the last ${a.signatureFailures.window}`,
    }),
  ];
}

/** How long `d` (a validated policy duration) is in ms. */
export const durationMs = (d: string): number => parseDuration(d) ?? 0;

/** A database outage as one process saw it: from the first failed check to the last. */
export type DatabaseOutage = {
  since: Date;
  lastAt: Date;
  checks: number;
  error: string;
  instance: string;
};

/** Where a process that cannot reach the database keeps its alert until the database answers (adapters/alerts/spool.ts). */
export type AlertSpool = {
  /** The outage spooled so far, or undefined. */
  read(): Promise<DatabaseOutage | undefined>;
  /** Records one more failed check (keeps the first `since`). */
  record(at: Date, error: string): Promise<DatabaseOutage>;
  /** Forgets the outage once it is raised. */
  clear(): Promise<void>;
};
