import { describe, expect, it } from 'vitest';
import { CONFIRM_ATTEMPTS, verdictFor } from './inbox-retry.ts';

const base = { maxAttempts: 8, backoffMs: 5_000 };

describe('verdictFor', () => {
  it('backs off exponentially for passing faults, capped at an hour, and parks after maxAttempts', () => {
    expect(verdictFor({ ...base, disposition: 'retry', attempts: 1 })).toEqual({
      status: 'pending',
      retryInMs: 5_000,
    });
    expect(verdictFor({ ...base, disposition: 'retry', attempts: 4 })).toEqual({
      status: 'pending',
      retryInMs: 40_000,
    });
    expect(verdictFor({ ...base, disposition: 'retry', attempts: 7, backoffMs: 3_600_000 })).toEqual({
      status: 'pending',
      retryInMs: 3_600_000,
    });
    expect(verdictFor({ ...base, disposition: 'retry', attempts: 8 })).toEqual({ status: 'failed' });
  });

  it('skips an unknown entity after three attempts, all within a minute of the first', () => {
    let waited = 0;
    for (let attempts = 1; attempts < CONFIRM_ATTEMPTS; attempts++) {
      const verdict = verdictFor({ ...base, disposition: 'confirm', attempts });
      if (verdict.status !== 'pending') throw new Error(`attempt ${attempts}: ${verdict.status}`);
      waited += verdict.retryInMs;
    }
    expect(waited).toBeLessThan(60_000);
    expect(verdictFor({ ...base, disposition: 'confirm', attempts: CONFIRM_ATTEMPTS })).toEqual({
      status: 'skipped',
    });
  });

  it('skips what is not ours and parks what no retry can fix, on the first attempt', () => {
    expect(verdictFor({ ...base, disposition: 'skip', attempts: 1 })).toEqual({ status: 'skipped' });
    expect(verdictFor({ ...base, disposition: 'fail', attempts: 1 })).toEqual({ status: 'failed' });
  });
});
