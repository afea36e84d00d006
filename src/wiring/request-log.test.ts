import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import { describeEachBackend } from '../../test/support/databases.ts';
import { waitFor } from '../../test/support/wait.ts';
import type { RequestLogEntry } from '../domain/request-log.ts';
import { startRequestLog } from './request-log.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

describeEachBackend('the server request log', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(() => t?.close());

  const entry = (requestId: string, at: Date): RequestLogEntry => ({
    userId: null,
    method: 'GET',
    path: '/api/plans',
    status: 200,
    ip: '192.0.2.1',
    userAgent: null,
    durationMs: 2,
    requestId,
    at,
  });
  const ids = async () =>
    (await get().db.selectFrom('request_logs').select('request_id').orderBy('request_id').execute()).map(
      (r) => r.request_id,
    );

  it('prunes past the retention when it starts, and writes what is still buffered when it closes', async () => {
    const now = t.ctx.now().getTime();
    await t.ctx.repos.requestLogs.insertMany([
      entry('expired', new Date(now - 8 * DAY_MS)),
      entry('kept', new Date(now - 6 * DAY_MS)),
    ]);
    const log = startRequestLog(t.ctx, t.ctx.log, { retentionDays: 7 });
    await waitFor(async () => !(await ids()).includes('expired'), 10_000, 'the start-up pruning');
    log.writer.record(entry('at-shutdown', new Date(now)));
    expect(log.writer.snapshot().buffered).toBe(1);
    await log.close();
    expect(await ids()).toEqual(['at-shutdown', 'kept']);
    log.writer.record(entry('after-close', new Date(now)));
    expect(log.writer.snapshot()).toMatchObject({ buffered: 0, dropped: 1 });
  });
});
