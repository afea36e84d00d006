import { describe, expect, it } from 'vitest';
import { lastChargeTime, periodBoundary } from './period.ts';

// Start, end and cycle times from Razorpay's published samples (test/fixtures/razorpay).
describe('billing periods match the documented samples', () => {
  it.each([
    [
      'an immediate start ends its first cycle at 00:00 IST a month on',
      1_600_416_437,
      'monthly',
      1_602_959_400,
    ],
    ['an invoice billed mid-day runs to 00:00 IST', 1_591_878_205, 'monthly', 1_594_405_800],
    ['a cycle that starts at 00:00 IST lasts one whole period', 1_594_405_800, 'monthly', 1_597_084_200],
    ['from 00:00 IST on 5 Oct 2019 to 00:00 IST on 5 Nov', 1_570_213_800, 'monthly', 1_572_892_200],
  ] as const)('%s', (_name, start, period, end) => {
    expect(periodBoundary(start, period, 1)).toBe(end);
    expect((end + 19_800) % 86_400).toBe(0);
  });

  it.each([
    [
      'subscription.paused: 5 monthly charges from a mid-day start',
      1_600_416_437,
      'monthly',
      5,
      1_610_908_200,
    ],
    ['subscription.charged: 12 monthly charges', 1_570_213_800, 'monthly', 12, 1_599_244_200],
    ['subscription.authenticated: 3 monthly charges', 1_593_109_800, 'monthly', 3, 1_598_380_200],
    ['subscription.cancelled: 53 weekly charges', 1_567_692_455, 'weekly', 53, 1_599_071_400],
  ] as const)(
    'end_at is the last charge, start + (total_count − 1) periods: %s',
    (_name, start, period, count, endAt) => {
      expect(lastChargeTime(start, period, 1, count)).toBe(endAt);
    },
  );

  it('a single charge ends where it starts, and month ends clamp to the shorter month', () => {
    expect(lastChargeTime(1_600_416_437, 'monthly', 1, 1)).toBe(1_600_416_437);
    const jan31 = Date.UTC(2024, 0, 30, 18, 30) / 1000; // 00:00 IST on 31 Jan 2024
    expect(periodBoundary(jan31, 'monthly', 1)).toBe(Date.UTC(2024, 1, 28, 18, 30) / 1000);
    expect(periodBoundary(jan31, 'quarterly', 1)).toBe(Date.UTC(2024, 3, 29, 18, 30) / 1000);
    expect(periodBoundary(jan31, 'yearly', 1)).toBe(Date.UTC(2025, 0, 30, 18, 30) / 1000);
    expect(periodBoundary(jan31, 'daily', 7)).toBe(jan31 + 7 * 86_400);
  });
});
