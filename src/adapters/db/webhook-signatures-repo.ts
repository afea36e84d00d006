import type { Executor } from './executor.ts';

/** Events verified by one secret fingerprint (null: stored before fingerprints were recorded). */
export type FingerprintUse = {
  fingerprint: string | null;
  events: number;
  firstAt: Date | null;
  lastAt: Date | null;
};

type Row = {
  fingerprint: string | null;
  events: string | number | bigint;
  first_at: Date | null;
  last_at: Date | null;
};

const toUse = (r: Row): FingerprintUse => ({
  fingerprint: r.fingerprint,
  events: Number(r.events),
  firstAt: r.first_at,
  lastAt: r.last_at,
});

/** Which webhook secret verified the inbox's events (razorpay_webhook_events.secret_fingerprint). */
export function createWebhookSignaturesRepo(db: Executor) {
  const grouped = () =>
    db
      .selectFrom('razorpay_webhook_events')
      .select((eb) => [
        'secret_fingerprint as fingerprint',
        eb.fn.countAll<string>().as('events'),
        eb.fn.min<Date | null>('created_at').as('first_at'),
        eb.fn.max<Date | null>('created_at').as('last_at'),
      ])
      .groupBy('secret_fingerprint');
  return {
    /** Events stored since `since`, grouped by the fingerprint that verified them. */
    async recent(since: Date): Promise<FingerprintUse[]> {
      return (await grouped().where('created_at', '>=', since).execute()).map(toUse);
    },

    /** Every event each of `fingerprints` ever verified: how many, the first and the last. */
    async allTime(fingerprints: string[]): Promise<FingerprintUse[]> {
      if (fingerprints.length === 0) return [];
      return (await grouped().where('secret_fingerprint', 'in', fingerprints).execute()).map(toUse);
    },
  };
}
