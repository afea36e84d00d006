import { describe, expect, it } from 'vitest';
import { type AlertReadings, judgeReadings } from './alert-rules.ts';
import { defaultPolicy, parsePolicy } from './policy.ts';

const quiet: AlertReadings = {
  payments: { attempts: 0, failed: 0 },
  checkout: { lastStatuses: [], paymentsOn: true, otherOpenIncidents: 0 },
  webhooks: { recent: 0, failed: 0, lastOutcomes: [] },
  backlog: { oldestPendingSeconds: 0, pending: 0 },
  signatures: { failures: 0 },
};
const judge = (r: Partial<AlertReadings>) =>
  Object.fromEntries(
    judgeReadings({ ...quiet, ...r }, defaultPolicy().alerts).map((v) => [
      v.key,
      v.firing ? v.severity : 'clear',
    ]),
  );

describe('alert rules', () => {
  it('payment failures: over 5 % of at least 20 attempts is medium, over 10 % high; fewer attempts never fire', () => {
    expect(judge({ payments: { attempts: 20, failed: 1 } })['payment-failure-rate']).toBe('clear');
    expect(judge({ payments: { attempts: 20, failed: 2 } })['payment-failure-rate']).toBe('medium');
    expect(judge({ payments: { attempts: 20, failed: 3 } })['payment-failure-rate']).toBe('high');
    expect(judge({ payments: { attempts: 19, failed: 19 } })['payment-failure-rate']).toBe('clear');
  });

  it('a failure-rate incident starts at the first failed payment of its window, not at the evaluation', () => {
    const first = new Date('2026-11-30T06:00:00Z');
    const rate = judgeReadings(
      { ...quiet, payments: { attempts: 20, failed: 3, firstFailedAt: first } },
      defaultPolicy().alerts,
    ).find((v) => v.key === 'payment-failure-rate');
    expect(rate).toMatchObject({ firing: true, startedAt: first });
  });

  it('payments impossible: five 5xx checkouts in a row, or payments off with no incident open', () => {
    const failing = { lastStatuses: [503, 502, 500, 503, 503], paymentsOn: true, otherOpenIncidents: 0 };
    expect(judge({ checkout: failing })['payments-impossible']).toBe('critical');
    expect(
      judge({ checkout: { ...failing, lastStatuses: [201, 503, 503, 503, 503] } })['payments-impossible'],
    ).toBe('clear');
    expect(
      judge({ checkout: { ...failing, lastStatuses: [503, 503, 503, 503] } })['payments-impossible'],
    ).toBe('clear');
    const off = { lastStatuses: [], paymentsOn: false, otherOpenIncidents: 0 };
    expect(judge({ checkout: off })['payments-impossible']).toBe('critical');
    expect(judge({ checkout: { ...off, otherOpenIncidents: 1 } })['payments-impossible']).toBe('clear');
  });

  it('webhook failures: three in a row, or over 1 % of at least 100 events', () => {
    const row = (lastOutcomes: ('ok' | 'failed')[], recent = 3, failed = 3) =>
      judge({ webhooks: { recent, failed, lastOutcomes } })['webhook-failures'];
    expect(row(['failed', 'failed', 'failed'])).toBe('high');
    expect(row(['failed', 'failed', 'ok'])).toBe('clear');
    expect(row(['ok', 'ok', 'ok'], 100, 2)).toBe('high');
    expect(row(['ok', 'ok', 'ok'], 100, 1)).toBe('clear');
    expect(row(['ok', 'ok', 'ok'], 99, 2)).toBe('clear');
  });

  it('the oldest pending event over 5 minutes, and ten bad signatures in a minute, fire high', () => {
    expect(judge({ backlog: { oldestPendingSeconds: 300, pending: 1 } })['webhook-backlog']).toBe('clear');
    expect(judge({ backlog: { oldestPendingSeconds: 301, pending: 1 } })['webhook-backlog']).toBe('high');
    expect(judge({ signatures: { failures: 9 } })['signature-failures']).toBe('clear');
    expect(judge({ signatures: { failures: 10 } })['signature-failures']).toBe('high');
  });

  it.each([
    [
      { clearFor: 'soon' },
      "alerts.clearFor: cannot read 'soon'; use a duration like 90s, 30m, 2h, 1d or 1h30m (at most 30d)",
    ],
    [
      { paymentFailureRate: { window: '5m', minAttempts: 20, mediumOverPercent: 12, highOverPercent: 10 } },
      'alerts.paymentFailureRate.highOverPercent: must be above mediumOverPercent (12)',
    ],
    [
      { paymentFailureRate: { window: '5m', minAttempts: 0, mediumOverPercent: 5, highOverPercent: 10 } },
      expect.stringMatching(/^alerts\.paymentFailureRate\.minAttempts: /),
    ],
    [
      { webhookFailures: { inARow: 3, overPercent: 101, minEvents: 100, window: '15m' } },
      expect.stringMatching(/^alerts\.webhookFailures\.overPercent: /),
    ],
    [
      { webhookBacklog: { oldestPendingOver: '5 minutes' } },
      expect.stringMatching(/^alerts\.webhookBacklog\.oldestPendingOver: cannot read/),
    ],
    [{ signatureFailures: { atLeast: 10 } }, expect.stringMatching(/^alerts\.signatureFailures\.window: /)],
    [{ sms: true }, 'alerts: unknown field sms'],
  ])('a bad alerts section names the field (%#)', (alerts, error) => {
    expect(parsePolicy({ alerts })).toEqual({ ok: false, error });
  });
});
