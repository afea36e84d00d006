import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { pruneRequestLogs } from './prune-request-logs.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

describeEachBackend('pruneRequestLogs', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(() => t?.close());

  it('deletes, batch by batch, only the rows older than the retention', async () => {
    const now = t.ctx.now().getTime();
    const ages = {
      'old-90d': 90,
      'old-45d': 45,
      'old-31d': 31,
      'old-30d1h': 30 + 1 / 24,
      'new-29d': 29,
      'new-1h': 1 / 24,
    };
    await t.ctx.repos.requestLogs.insertMany(
      Object.entries(ages).map(([requestId, days]) => ({
        userId: null,
        method: 'GET',
        path: '/api/usage',
        status: 200,
        ip: '203.0.113.9',
        userAgent: null,
        durationMs: 1,
        requestId,
        at: new Date(now - days * DAY_MS),
      })),
    );
    const done = await pruneRequestLogs({ ctx: t.ctx, input: { retentionDays: 30, batchSize: 2 } });
    expect(done).toEqual({ deleted: 4, before: new Date(now - 30 * DAY_MS) });
    const left = await get()
      .db.selectFrom('request_logs')
      .select('request_id')
      .orderBy('request_id')
      .execute();
    expect(left.map((r) => r.request_id)).toEqual(['new-1h', 'new-29d']);
    expect(await pruneRequestLogs({ ctx: t.ctx, input: { retentionDays: 30 } })).toMatchObject({
      deleted: 0,
    });
  });
});
