import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parsePolicy } from './policy.ts';

type Row = Record<string, unknown>;
type Draft = Row & {
  escalation: Row[];
  responseTimes: Row;
  statusUpdateCadence: Row;
  roster: (Row & { channels: Row })[];
};
const example = (): Draft =>
  JSON.parse(readFileSync(new URL('../../polaris.policy.example.json', import.meta.url), 'utf8'));

describe('incident policy', () => {
  it('the built-in defaults are the runbook’s: 15m/1h/4h/24h, updates 15m/30m/2h/daily, on-call → lead (1h) → manager (4h) → CTO (at once for critical)', () => {
    const parsed = parsePolicy({});
    expect(parsed).toEqual({
      ok: true,
      policy: {
        responseTimes: { critical: '15m', high: '1h', medium: '4h', low: '24h' },
        statusUpdateCadence: { critical: '15m', high: '30m', medium: '2h', low: '1d' },
        escalation: [
          { level: 1, role: 'on-call engineer', after: 'open', immediatelyFor: [] },
          { level: 2, role: 'team lead', after: '1h', immediatelyFor: [] },
          { level: 3, role: 'engineering manager', after: '4h', immediatelyFor: [] },
          { level: 4, role: 'CTO / VP Engineering', after: 'never', immediatelyFor: ['critical'] },
        ],
        roster: [],
        alerts: {
          clearFor: '10m',
          paymentFailureRate: { window: '5m', minAttempts: 20, mediumOverPercent: 5, highOverPercent: 10 },
          paymentsImpossible: { checkoutFailuresInARow: 5, window: '5m' },
          webhookFailures: { inARow: 3, overPercent: 1, minEvents: 100, window: '15m' },
          webhookBacklog: { oldestPendingOver: '5m' },
          signatureFailures: { atLeast: 10, window: '1m' },
        },
      },
    });
    expect(parsePolicy(DEFAULT_POLICY)).toEqual(parsed);
  });

  it('the example file in the repository validates, with a roster on every level', () => {
    const parsed = parsePolicy(example());
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.policy.roster.map((r) => r.level)).toEqual([1, 2, 3, 4]);
  });

  it.each([
    [
      (p: Draft) => (p.escalation[1]!.after = 'soon'),
      "escalation[1].after: cannot read 'soon'; use open, never, or a duration like 90s, 30m, 2h, 1d or 1h30m (at most 30d)",
    ],
    [
      (p: Draft) => (p.escalation[2]!.after = '30m'),
      'escalation[2].after: must not be sooner than the level before it',
    ],
    [(p: Draft) => (p.escalation[3]!.level = 5), 'escalation[3].level: must be 4 (levels count up from 1)'],
    [
      (p: Draft) => (p.escalation[3]!.immediatelyFor = ['urgent']),
      expect.stringMatching(/^escalation\[3\]\.immediatelyFor\[0\]: /),
    ],
    [(p: Draft) => delete p.responseTimes.high, expect.stringMatching(/^responseTimes\.high: /)],
    [
      (p: Draft) => (p.statusUpdateCadence.low = 'daily'),
      expect.stringMatching(/^statusUpdateCadence\.low: cannot read 'daily'/),
    ],
    [
      (p: Draft) => (p.roster[0]!.channels.phone = '12345'),
      'roster[0].channels.phone: must be an international number such as +91 22 0000 0000',
    ],
    [
      (p: Draft) => (p.roster[1]!.channels = {}),
      'roster[1].channels: name at least one of email, slack, phone',
    ],
    [(p: Draft) => (p.roster[2]!.level = 7), 'roster[2].level: no escalation level 7 (the ladder has 4)'],
    [(p: Draft) => (p.pager = true), 'unknown field pager'],
  ])('a bad file names the field (%#)', (mutate, error) => {
    const policy = example();
    mutate(policy);
    expect(parsePolicy(policy)).toEqual({ ok: false, error });
  });
});
