import type { Insertable, Kysely } from 'kysely';
import { AppError } from '../../domain/errors.ts';
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
        const inserted = await this.insertRows([...first.values()].map((w) => w.row));
        for (const w of batch) w.resolve(first.get(w.row.event_id) === w && inserted.has(w.row.event_id));
      } catch (error) {
        if (!isDataError(error) || first.size === 1) {
          for (const w of batch) w.reject(unstorable(error));
          continue;
        }
        // One row the database cannot hold must not fail the deliveries it was batched with.
        await this.insertOneByOne(batch, first);
      }
    }
    this.flushing = false;
  }

  private async insertRows(rows: Row[]): Promise<Set<string>> {
    const stored = await this.db
      .insertInto('razorpay_webhook_events')
      .values(rows)
      .onConflict((oc) => oc.column('event_id').doNothing())
      .returning('event_id')
      .execute();
    return new Set(stored.map((r) => r.event_id));
  }

  private async insertOneByOne(batch: Waiter[], first: Map<string, Waiter>): Promise<void> {
    const outcome = new Map<string, { inserted: boolean } | { error: unknown }>();
    for (const w of first.values()) {
      try {
        outcome.set(w.row.event_id, { inserted: (await this.insertRows([w.row])).size === 1 });
      } catch (error) {
        outcome.set(w.row.event_id, { error: unstorable(error) });
      }
    }
    for (const w of batch) {
      const result = outcome.get(w.row.event_id)!;
      if ('error' in result) w.reject(result.error);
      else w.resolve(first.get(w.row.event_id) === w && result.inserted);
    }
  }
}

// SQLSTATE classes 22 (data exception) and 23 (integrity) mean this row, not the database.
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** A row the database refused for its content: no retry of the same delivery will store it. */
function unstorable(error: unknown): unknown {
  if (!isDataError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new AppError('bad_request', `the event cannot be stored: ${detail}`);
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
