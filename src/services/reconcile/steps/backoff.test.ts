import { describe, expect, it } from 'vitest';
import { RazorpayApiError, RazorpayTransportError } from '../../../adapters/razorpay/errors.ts';
import type { Result } from '../../../domain/errors.ts';
import { withBackoff } from './backoff.ts';

type R = Result<string, RazorpayApiError | RazorpayTransportError>;
const tooMany = (): R => ({
  ok: false,
  error: new RazorpayApiError(429, 'BAD_REQUEST_ERROR', 'Too many requests'),
});
const unknown = (): R => ({
  ok: false,
  error: new RazorpayApiError(400, 'BAD_REQUEST_ERROR', 'The id provided does not exist'),
});

// A call that answers from `answers` in turn, and a sleep that only records.
function harness(answers: R[], random = 0.5) {
  const waits: number[] = [];
  let calls = 0;
  const policy = {
    retries: 4,
    baseMs: 100,
    random: () => random,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
  const call = async () => answers[Math.min(calls++, answers.length - 1)] as R;
  return { policy, call, waits, calls: () => calls };
}

describe('withBackoff', () => {
  it('waits exponentially longer after each 429, half fixed and half random, until Razorpay answers', async () => {
    const h = harness([tooMany(), tooMany(), tooMany(), { ok: true, value: 'sub' }], 0.5);
    let retried = 0;
    const result = await withBackoff(h.policy, h.call, () => {
      retried += 1;
    });
    expect(result).toEqual({ ok: true, value: 'sub' });
    expect(h.waits).toEqual([75, 150, 300]);
    expect(retried).toBe(3);
  });

  it('never waits less than half of each step, whatever the jitter draws', async () => {
    const h = harness([tooMany(), tooMany(), { ok: true, value: 'x' }], 0);
    await withBackoff(h.policy, h.call, () => {});
    expect(h.waits).toEqual([50, 100]);
  });

  it('gives up after its retries and returns the last failure', async () => {
    const h = harness([tooMany()]);
    const result = await withBackoff(h.policy, h.call, () => {});
    expect(result.ok).toBe(false);
    expect(h.calls()).toBe(5);
    expect(h.waits).toHaveLength(4);
  });

  it('retries a timeout but not a refusal another try would not change', async () => {
    const timeout = harness([
      { ok: false, error: new RazorpayTransportError('timeout', 'no answer') },
      { ok: true, value: 'y' },
    ]);
    expect(await withBackoff(timeout.policy, timeout.call, () => {})).toEqual({ ok: true, value: 'y' });
    const refused = harness([unknown()]);
    const result = await withBackoff(refused.policy, refused.call, () => {});
    expect(result.ok).toBe(false);
    expect(refused.calls()).toBe(1);
    expect(refused.waits).toEqual([]);
  });
});
