import { describe, expect, it } from 'vitest';
import { responseSample } from '../../../../test/support/razorpay-samples.ts';
import type { Subscription } from '../../../adapters/db/schema.ts';
import type { RzpSubscription } from '../../../adapters/razorpay/wire.ts';
import { subscriptionColumns } from './row-columns.ts';

const at = (iso: string) => new Date(iso);

// Our row before the snapshot: what an earlier fetch of the same subscription wrote.
const current = {
  status: 'active',
  razorpay_customer_id: 'cust_D00000000000001',
  current_start: at('2020-01-26T10:24:31Z'),
  current_end: at('2020-02-25T18:30:00Z'),
  charge_at: at('2020-02-25T18:30:00Z'),
  start_at: at('2020-01-26T10:24:31Z'),
  ended_at: null,
  remaining_count: 5,
  auth_attempts: 2,
  cancel_at_cycle_end: false,
  cancelled_at: null,
  last_event_at: null,
} as unknown as Subscription;

describe('subscriptionColumns with keys Razorpay leaves out', () => {
  it('keeps the customer, times and counts a documented pause response omits; null still clears', () => {
    const paused = responseSample('subscription-pause.json').json as unknown as RzpSubscription;
    expect(paused).not.toHaveProperty('customer_id');
    const { current_start: _s, current_end: _e, auth_attempts: _a, ...sparse } = paused;
    const columns = subscriptionColumns({ ...sparse, remaining_count: undefined }, current, null);
    expect(columns).toMatchObject({
      status: 'paused',
      razorpay_customer_id: 'cust_D00000000000001',
      current_start: current.current_start,
      current_end: current.current_end,
      remaining_count: 5,
      auth_attempts: 2,
      charge_at: null,
    });
  });

  it('takes what Razorpay does send, the customer included', () => {
    const fetched = responseSample('subscription-fetch.json').json as unknown as RzpSubscription;
    const columns = subscriptionColumns({ ...fetched, customer_id: 'cust_00000000000009' }, current, null);
    expect(columns).toMatchObject({
      razorpay_customer_id: 'cust_00000000000009',
      current_end: new Date(1_582_655_400_000),
      remaining_count: 5,
      auth_attempts: 0,
    });
  });

  it('without a row to fall back on, absent keys become null and zero', () => {
    const created = responseSample('subscription-create.json').json as unknown as RzpSubscription;
    const { auth_attempts: _a, ...sparse } = created;
    expect(subscriptionColumns(sparse, null, null)).toMatchObject({
      razorpay_customer_id: null,
      seats: 1,
      auth_attempts: 0,
      current_end: null,
    });
  });
});

describe('subscriptionColumns and the hosted page (short_url)', () => {
  const fetched = responseSample('subscription-fetch.json').json as unknown as RzpSubscription;
  const stored = { ...current, short_url: 'https://rzp.io/i/stored0001' } as Subscription;

  it('backfills short_url from a snapshot that carries one', () => {
    expect(subscriptionColumns(fetched, current, null).short_url).toBe('https://rzp.io/i/z3b1R61A9');
  });

  it('keeps the stored short_url when the snapshot sends null, leaves it out, or sends another scheme', () => {
    for (const short_url of [null, undefined, 'javascript:alert(1)', 'not a url']) {
      expect([short_url, subscriptionColumns({ ...fetched, short_url }, stored, null).short_url]).toEqual([
        short_url,
        'https://rzp.io/i/stored0001',
      ]);
    }
    expect(
      subscriptionColumns({ ...fetched, short_url: 'javascript:alert(1)' }, current, null).short_url,
    ).toBeNull();
  });
});
