import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCliWith } from '../../../../test/support/cli-in-process.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { resetFlags } from '../../../../test/support/flags.ts';
import type { InboxStatus } from '../../../domain/inbox-retry.ts';
import { setFlag } from '../../../services/flags/set-flag.ts';

const H = 3_600_000;
// Seeded relative to the test clock: [id, type, status, received hours ago, seconds to processed, attempts]
const SEED: [string, string, InboxStatus, number, number | null, number][] = [
  ['EvtA0000000001', 'payment.captured', 'processed', 1, 1, 1],
  ['EvtB0000000001', 'payment.captured', 'processed', 2, 2, 1],
  ['EvtC0000000001', 'subscription.charged', 'processed', 3, 3, 2],
  ['EvtD0000000001', 'subscription.activated', 'processed', 4, 4, 1],
  ['EvtE0000000001', 'payment.failed', 'failed', 5, null, 8],
  ['EvtF0000000001', 'subscription.halted', 'skipped', 6, null, 1],
  ['EvtG0000000001', 'payment.captured', 'pending', 1 / 6, null, 0],
  ['EvtH0000000001', 'refund.processed', 'pending', 30, null, 2],
  ['EvtI0000000001', 'payment.captured', 'processed', 48, 100, 1],
];

describeEachBackend('polaris webhooks list / show / stats', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  const cli = (...args: string[]) => runCliWith(t.ctx, args);
  const ids = (stdout: string) => [...stdout.matchAll(/Evt[A-Z]0{9}1/g)].map((m) => m[0]);
  const snapshot = async () => ({
    events: await get().db.selectFrom('razorpay_webhook_events').selectAll().orderBy('id').execute(),
    audit: await get().db.selectFrom('audit_log').select('id').execute(),
  });

  beforeAll(async () => {
    t = await createTestContext(get());
    const now = t.ctx.now().getTime();
    await get()
      .db.insertInto('razorpay_webhook_events')
      .values(
        SEED.map(([id, type, status, hoursAgo, lag, attempts]) => {
          const received = new Date(now - hoursAgo * H);
          return {
            event_id: id,
            event_type: type,
            payload: `{"entity":"event","event":"${type}","id":"${id}"}`,
            processing_status: status,
            attempts,
            created_at: received,
            next_attempt_at: received,
            processed_at: lag === null ? null : new Date(received.getTime() + lag * 1000),
            error_message: status === 'failed' ? 'internal: boom' : status === 'skipped' ? 'not ours' : null,
          };
        }),
      )
      .execute();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('list filters by status (one or several), type or family, window and limit, newest first', async () => {
    expect(ids((await cli('webhooks', 'list', '--status', 'failed')).stdout)).toEqual(['EvtE0000000001']);
    expect(ids((await cli('webhooks', 'list', '--status', 'failed,skipped')).stdout)).toEqual([
      'EvtE0000000001',
      'EvtF0000000001',
    ]);
    expect(ids((await cli('webhooks', 'list', '--type', 'payment')).stdout)).toEqual([
      'EvtG0000000001',
      'EvtA0000000001',
      'EvtB0000000001',
      'EvtE0000000001',
      'EvtI0000000001',
    ]);
    const recent = await cli('webhooks', 'list', '--type', 'payment.captured', '--since', '24h');
    expect(ids(recent.stdout)).toEqual(['EvtG0000000001', 'EvtA0000000001', 'EvtB0000000001']);
    expect(recent.stdout.split('\n')[0]).toBe('3 events match');
    const limited = await cli('webhooks', 'list', '--limit', '2');
    expect(limited.stdout.split('\n')[0]).toBe(
      '9 events match (the newest 2; raise --limit or narrow the filters)',
    );
    expect(ids(limited.stdout)).toEqual(['EvtG0000000001', 'EvtA0000000001']);
    const json = JSON.parse((await cli('--json', 'webhooks', 'list', '--status', 'failed')).stdout);
    expect(json).toMatchObject({
      ok: true,
      total: 1,
      events: [{ eventId: 'EvtE0000000001', status: 'failed', attempts: 8, error: 'internal: boom' }],
    });
  });

  it('show prints the raw payload, attempts, last error and timestamps', async () => {
    const r = await cli('webhooks', 'show', 'EvtE0000000001');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('status            failed\n');
    expect(r.stdout).toContain('attempts          8\n');
    expect(r.stdout).toContain('last error        internal: boom\n');
    expect(r.stdout).toContain('operator retries  (none)\n');
    expect(r.stdout.endsWith('{"entity":"event","event":"payment.failed","id":"EvtE0000000001"}\n')).toBe(
      true,
    );
    const json = JSON.parse((await cli('--json', 'webhooks', 'show', 'EvtE0000000001')).stdout);
    expect(json.payload).toBe('{"entity":"event","event":"payment.failed","id":"EvtE0000000001"}');
    expect(json.receivedAt).toBe(new Date(t.ctx.now().getTime() - 5 * H).toISOString());
  });

  it('stats gives counts by type × status, the failure rate, lag p50/p99 and the oldest pending', async () => {
    const r = await cli('--json', 'webhooks', 'stats');
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.stdout);
    expect(stats.totals).toEqual({
      type: 'all',
      total: 7,
      pending: 1,
      processing: 0,
      processed: 4,
      failed: 1,
      skipped: 1,
    });
    expect(stats.types.find((x: { type: string }) => x.type === 'payment.captured')).toMatchObject({
      processed: 2,
      pending: 1,
      total: 3,
    });
    expect(stats.failureRate).toBeCloseTo(1 / 6, 10);
    // percentile_cont over lags of 1, 2, 3 and 4 s.
    expect(stats.lagSeconds.processed).toBe(4);
    expect(stats.lagSeconds.p50).toBeCloseTo(2.5, 6);
    expect(stats.lagSeconds.p99).toBeCloseTo(3.97, 6);
    expect(stats.oldestPending).toMatchObject({ eventId: 'EvtH0000000001', ageSeconds: 30 * 3600 });
    const text = await cli('webhooks', 'stats', '--since', '7d');
    expect(text.stdout).toContain('webhook events received since ');
    expect(text.stdout).toContain('failure rate: 14.3 % (1 failed of 7 settled)');
    expect(text.stdout).toContain('oldest pending: EvtH0000000001 (refund.processed)');
  });

  it('refuses bad arguments and unknown ids with exit 2 and one clear line, changing nothing', async () => {
    const before = await snapshot();
    const cases: [string[], string][] = [
      [
        ['webhooks', 'list', '--status', 'broken'],
        'polaris: --status "broken": expected one or more of pending, processing, processed, failed, skipped (comma-separated)\n',
      ],
      [
        ['webhooks', 'list', '--type', 'Payment!'],
        'polaris: --type "Payment!": expected an event type like payment.captured, or a family like subscription\n',
      ],
      [['webhooks', 'list', '--limit', '0'], 'polaris: --limit "0": expected a number from 1 to 1000\n'],
      [
        ['webhooks', 'stats', '--since', 'yesterday'],
        'polaris: --since "yesterday": expected a window like 30m, 24h or 7d, or a past ISO date like 2026-11-29T08:00Z\n',
      ],
      [
        ['webhooks', 'show', 'Nope0000000001'],
        'polaris: no webhook event Nope0000000001 is stored (polaris webhooks list shows them)\n',
      ],
      [
        ['webhooks', 'show', 'bad id!'],
        'polaris: "bad id!" is not a webhook event id (X-Razorpay-Event-Id)\n',
      ],
      [
        ['webhooks', 'retry'],
        'polaris: say which events: one or more event ids, or --failed [--since 24h]\n',
      ],
      [
        ['webhooks', 'retry', 'EvtE0000000001', '--failed'],
        'polaris: give event ids or --failed, not both\n',
      ],
      [['webhooks', 'retry', 'EvtE0000000001', '--since', '24h'], 'polaris: --since goes with --failed\n'],
      [
        ['webhooks', 'retry', 'EvtE0000000001', 'Nope0000000001'],
        'polaris: no webhook event Nope0000000001 is stored; nothing was retried (polaris webhooks list shows them)\n',
      ],
    ];
    for (const [args, stderr] of cases) {
      expect({ args, ...(await cli(...args)) }).toEqual({ args, code: 2, stdout: '', stderr });
    }
    const json = await cli('--json', 'webhooks', 'show', 'Nope0000000001');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error: {
        code: 'not_found',
        message: 'no webhook event Nope0000000001 is stored (polaris webhooks list shows them)',
      },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('under read-only, retry is refused with exit 2 and the failed event stays as it was', async () => {
    await setFlag({ ctx: t.ctx, input: { name: 'read_only', state: 'on', reason: 'drill', actor: 'test' } });
    try {
      const before = await snapshot();
      const r = await cli('webhooks', 'retry', 'EvtE0000000001');
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'polaris: read-only mode is on and holds webhook processing, so nothing was retried; events keep arriving and wait as pending. Lift it (polaris readonly off) and retry then\n',
      });
      expect(await snapshot()).toEqual(before);
    } finally {
      await resetFlags(get().db);
    }
  });
});
