import type { Insertable, Kysely } from 'kysely';
import type { Database, RazorpayWebhookEventsTable } from './schema.ts';

type Row = Insertable<RazorpayWebhookEventsTable>;
type Waiter = { row: Row; resolve: (inserted: boolean) => void; reject: (error: unknown) => void };

const MAX_BATCH = 500;

/**
 * Group commit for webhook ingestion: inserts that arrive while a commit is in flight are written
 * together by the next one, so each caller still hears back only after its own row is durable,
 * but the database commits once per batch instead of once per delivery.
 */
export class InboxBatcher {
  private queue: Waiter[] = [];
  private flushing = false;

  constructor(private readonly db: Kysely<Database>) {}

  /** Resolves true when the row was stored, false when its event id already was. */
  insert(row: Row): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      // The first delivery of an id in the batch is the one stored; later copies are duplicates.
      const first = new Map<string, Waiter>();
      for (const w of batch) if (!first.has(w.row.event_id)) first.set(w.row.event_id, w);
      try {
        const stored = await this.db
          .insertInto('razorpay_webhook_events')
          .values([...first.values()].map((w) => w.row))
          .onConflict((oc) => oc.column('event_id').doNothing())
          .returning('event_id')
          .execute();
        const inserted = new Set(stored.map((r) => r.event_id));
        for (const w of batch) w.resolve(first.get(w.row.event_id) === w && inserted.has(w.row.event_id));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.flushing = false;
  }
}

const batchers = new WeakMap<Kysely<Database>, InboxBatcher>();

/** The one batcher of a pool (transactions insert directly, inside their own commit). */
export function inboxBatcherFor(db: Kysely<Database>): InboxBatcher {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new InboxBatcher(db);
    batchers.set(db, batcher);
  }
  return batcher;
}
