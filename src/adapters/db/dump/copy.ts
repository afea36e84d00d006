import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/** Where a COPY block's rows go while a dump loads: written in order, then ended, or aborted on failure. */
export type RowSink = {
  write(data: Buffer): Promise<void>;
  end(): Promise<void>;
  abort(error: unknown): Promise<void>;
};

/**
 * Streams `COPY … TO STDOUT` into `write`, chunk by chunk, waiting for each (the server waits on
 * the socket meanwhile). When `write` fails the rest is read and dropped, so the connection stays
 * usable for the rollback, and the failure is thrown at the end.
 */
export async function copyOut(
  client: pg.ClientBase,
  statement: string,
  write: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  for await (const chunk of client.query(copyTo(statement))) {
    if (failure) continue;
    try {
      await write(chunk as Buffer);
    } catch (error) {
      failure = { error };
    }
  }
  if (failure) throw failure.error;
}

/** `COPY … FROM STDIN` on the client, fed by the sink; end() resolves once the server has every row. */
export function copyIn(client: pg.ClientBase, statement: string): RowSink {
  const stream = client.query(copyFrom(statement));
  let over = false; // the server ended the COPY (every row in, or an error): nothing to abort
  stream.on('error', () => {
    over = true;
  });
  // Attached at once: a refused row fails the stream while nothing is awaiting it yet.
  const done = finished(stream).finally(() => {
    over = true;
  });
  done.catch(() => {});
  return {
    async write(data) {
      if (!stream.write(data)) await Promise.race([once(stream, 'drain'), done]);
    },
    async end() {
      stream.end();
      await done;
    },
    async abort(error) {
      if (over) return;
      // CopyFail: the server ends the COPY with an error, and the connection can roll back.
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
      await done.catch(() => {});
    },
  };
}
