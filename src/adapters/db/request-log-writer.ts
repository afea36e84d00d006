import type { RequestLogEntry, RequestLogSink } from '../../domain/request-log.ts';
import type { Logger } from '../logger.ts';

/** Writer settings: how often and how much to flush, and how much to hold at most. */
export type RequestLogWriterOptions = {
  /** Writes the entries in one statement (the repo's insertMany). */
  insert: (entries: readonly RequestLogEntry[]) => Promise<void>;
  log: Logger;
  flushIntervalMs?: number;
  batchSize?: number;
  capacity?: number;
};

/** What the writer has done so far (tests and the bench read it). */
export type RequestLogStats = {
  written: number;
  dropped: number;
  failedFlushes: number;
  buffered: number;
  /** Entries in the INSERT being written right now. */
  inFlight: number;
};

/**
 * The request log off the request path: `record` only appends to a bounded buffer; a timer (or a
 * full batch) writes it in one multi-row INSERT. When the buffer is full, entries are dropped and
 * counted, so a slow or stopped database never blocks a request nor grows memory.
 */
export class RequestLogWriter implements RequestLogSink {
  private buffer: RequestLogEntry[] = [];
  private flushing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly stats = { written: 0, dropped: 0, failedFlushes: 0 };
  private readonly batchSize: number;
  private readonly capacity: number;
  private closed = false;
  private lastFlushOk = true;
  private inFlight = 0;

  constructor(private readonly options: RequestLogWriterOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.capacity = options.capacity ?? 10_000;
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Queues one entry; never throws, never waits. */
  record(entry: RequestLogEntry): void {
    if (this.closed || this.buffer.length >= this.capacity) {
      this.stats.dropped += 1;
      return;
    }
    this.buffer.push(entry);
    if (this.buffer.length >= this.batchSize) void this.flush();
  }

  /** Counts so far. */
  snapshot(): RequestLogStats {
    return { ...this.stats, buffered: this.buffer.length, inFlight: this.inFlight };
  }

  /** Writes what is buffered, one batch at a time; a flush already running is joined, not doubled. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Stops the timer and writes what is left (once; a failure is logged and the rest dropped). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.closed = true;
    this.stats.dropped += this.buffer.length;
    this.buffer = [];
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.batchSize);
      this.inFlight = batch.length;
      try {
        await this.options.insert(batch);
        this.stats.written += batch.length;
        this.lastFlushOk = true;
      } catch (error) {
        this.requeue(batch, error);
        return;
      } finally {
        this.inFlight = 0;
      }
    }
  }

  // The failed batch goes back in front while there is room; what does not fit is dropped and counted.
  private requeue(batch: RequestLogEntry[], error: unknown): void {
    this.stats.failedFlushes += 1;
    const room = Math.max(0, this.capacity - this.buffer.length);
    const kept = batch.slice(0, room);
    this.stats.dropped += batch.length - kept.length;
    this.buffer = kept.concat(this.buffer);
    // One warning per outage (the first failure after a success), not one per second.
    if (this.lastFlushOk) {
      this.options.log.warn(
        { err: error instanceof Error ? error.message : String(error), buffered: this.buffer.length },
        'request log: could not write; keeping what fits and dropping the rest until the database answers',
      );
    }
    this.lastFlushOk = false;
  }
}
