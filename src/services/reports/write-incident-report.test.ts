import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetFlags } from '../../../test/support/flags.ts';
import { incidentAuditRows, resetIncidents } from '../../../test/support/incidents.ts';
import { createSubscription, createUser, rzpId } from '../../../test/support/seed.ts';
import { incidentReportMarkdown } from '../../domain/incident-report-markdown.ts';
import { setFlag } from '../flags/set-flag.ts';
import { ackIncident } from '../incidents/ack-incident.ts';
import { addIncidentNote } from '../incidents/add-note.ts';
import { openIncident } from '../incidents/open-incident.ts';
import { resolveIncident } from '../incidents/resolve-incident.ts';
import { updateIncident } from '../incidents/update-incident.ts';
import { writeIncidentReport } from './write-incident-report.ts';

const MIN = 60_000;

describeEachBackend('incident report', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    const db = get().db;
    await resetIncidents(db);
    await resetFlags(db);
    await db.deleteFrom('refunds').execute();
    await db.deleteFrom('payments').execute();
    await db.deleteFrom('razorpay_webhook_events').execute();
    await db.deleteFrom('subscriptions').execute();
    await db.deleteFrom('user_profiles').where('email', 'like', '%@ex.com').execute();
  });
  const at = (offsetMin: number) => new Date(t.ctx.now().getTime() + offsetMin * MIN);
  const advance = (minutes: number) => t.emulator.advanceClock(minutes * 60);

  // Two users with failed payments in the window, one of them also refunded; one outside it.
  async function seedWindow(start: Date) {
    const db = get().db;
    const inside = (m: number) => new Date(start.getTime() + m * MIN);
    const users = [];
    for (const name of ['a', 'b', 'c', 'd']) users.push(await createUser(db, `${name}-${rzpId('u')}@ex.com`));
    const [a, b, c, d] = users as [string, string, string, string];
    const subs = [
      await createSubscription(db, a),
      await createSubscription(db, b),
      await createSubscription(db, c),
      await createSubscription(db, d),
    ];
    const pay = (user: string, sub: string, status: 'failed' | 'captured', amount: number, when: Date) =>
      db
        .insertInto('payments')
        .values({
          user_id: user,
          subscription_id: sub,
          razorpay_payment_id: rzpId('pay'),
          amount,
          status,
          ...(status === 'failed' ? { failed_at: when, error_message: 'BAD_REQUEST_ERROR: declined' } : {}),
          ...(status === 'captured' ? { captured_at: when } : {}),
          created_at: when,
        })
        .returning(['payment_id', 'razorpay_payment_id'])
        .executeTakeFirstOrThrow();
    await pay(a, subs[0] as string, 'failed', 159_900, inside(5));
    await pay(a, subs[0] as string, 'failed', 159_900, inside(6));
    await pay(b, subs[1] as string, 'failed', 349_900, inside(10));
    await pay(d, subs[3] as string, 'failed', 99_900, inside(-30)); // before the incident started
    const captured = await pay(b, subs[1] as string, 'captured', 349_900, inside(-60));
    for (const [amount, status, when] of [
      [100_000, 'processed', inside(20)],
      [50_000, 'failed', inside(21)],
      [25_000, 'processed', inside(-5)],
    ] as const) {
      await db
        .insertInto('refunds')
        .values({
          razorpay_refund_id: rzpId('rfnd'),
          payment_id: captured.payment_id,
          razorpay_payment_id: captured.razorpay_payment_id,
          amount,
          status,
          created_at: when,
        })
        .execute();
    }
    // c's subscription changed in the window (a halted charge).
    await db
      .updateTable('subscriptions')
      .set({ status: 'halted', last_event_at: inside(15) })
      .where('subscription_id', '=', subs[2] as string)
      .execute();
    for (const [status, when] of [
      ['failed', inside(7)],
      ['pending', inside(8)],
      ['processed', inside(9)],
      ['failed', inside(-90)],
    ] as const) {
      await db
        .insertInto('razorpay_webhook_events')
        .values({
          event_id: rzpId('evt').slice(4),
          event_type: 'payment.failed',
          payload: '{}',
          processing_status: status,
          error_message: status === 'failed' ? 'subscription not found' : null,
          event_created_at: when,
        })
        .execute();
    }
  }

  it('fills the template from the record: times, TTD/TTA/TTR, notes by tag, users, rupees, data loss', async () => {
    const started = at(-12);
    await seedWindow(started);
    const opened = await openIncident({
      ctx: t.ctx,
      input: {
        severity: 'high',
        type: 'payment.processing',
        title: 'Card renewals declining',
        components: 'checkout',
        started: started.toISOString(),
        actor: 'alerts',
      },
    });
    const id = opened.id;
    advance(4);
    await ackIncident({ ctx: t.ctx, input: { id, actor: 'cli:asha' } });
    await updateIncident({
      ctx: t.ctx,
      input: {
        id,
        status: 'identified',
        message: 'Renewals fail for some cards',
        public: true,
        actor: 'cli:asha',
      },
    });
    await setFlag({
      ctx: t.ctx,
      input: { name: 'payments', state: 'off', reason: 'declines', actor: 'cli:asha' },
    });
    await addIncidentNote({
      ctx: t.ctx,
      input: { id, message: 'Root cause: the acquirer rotated its BIN list', actor: 'cli:asha' },
    });
    await addIncidentNote({
      ctx: t.ctx,
      input: { id, tag: 'resolution', message: 'Switched the retry route', actor: 'cli:asha' },
    });
    advance(20);
    await setFlag({
      ctx: t.ctx,
      input: { name: 'payments', state: 'on', reason: 'recovered', actor: 'cli:asha' },
    });
    advance(10);
    await resolveIncident({ ctx: t.ctx, input: { id, message: 'Renewals succeed', actor: 'cli:asha' } });
    await addIncidentNote({
      ctx: t.ctx,
      input: { id, tag: 'lessons', message: 'Watch decline codes per BIN', actor: 'cli:asha' },
    });
    await addIncidentNote({
      ctx: t.ctx,
      input: { id, message: 'prevent: alert on decline-code spikes', actor: 'cli:asha' },
    });
    await addIncidentNote({
      ctx: t.ctx,
      input: { id, message: 'Follow-up: ask the acquirer for notice', actor: 'cli:asha' },
    });
    await addIncidentNote({ ctx: t.ctx, input: { id, message: 'plain remark, no tag', actor: 'cli:asha' } });

    const report = await writeIncidentReport({ ctx: t.ctx, input: { id: `INC-${id}` } });
    expect(report.durations).toEqual({ ttd: 12 * MIN, tta: 4 * MIN, ttr: 34 * MIN, total: 46 * MIN });
    expect(report.keyTimes.map((k) => [k.label, k.at?.toISOString(), k.source])).toEqual([
      ['Started', started.toISOString(), 'incident start'],
      ['Detection', opened.detectedAt.toISOString(), 'opened by alerts'],
      ['Response initiated', at(-30).toISOString(), 'acknowledged by cli:asha'],
      ['Resolution', t.ctx.now().toISOString(), 'cli:asha'],
      ['Service restored', at(-10).toISOString(), 'payments on (was off)'],
    ]);
    expect(report.rootCause).toEqual(['the acquirer rotated its BIN list']);
    expect(report.resolutionSteps).toEqual([
      'Switched the retry route',
      'flag: payments off (was on); reason: declines (cli:asha)',
      'flag: payments on (was off); reason: recovered (cli:asha)',
      'resolved: Renewals succeed (cli:asha)',
    ]);
    expect([report.lessons, report.prevention, report.followUps]).toEqual([
      ['Watch decline codes per BIN'],
      ['alert on decline-code spikes'],
      ['ask the acquirer for notice'],
    ]);
    expect(report.impact).toEqual(['Renewals fail for some cards', 'Affected components: checkout.']);
    expect(report.figures).toEqual({
      usersAffected: 3,
      usersWithFailedPayments: 2,
      usersWithChangedSubscriptions: 1,
      failedPayments: { count: 3, paise: 669_700 },
      refunds: { count: 1, paise: 100_000 },
      dataLoss: { lost: true, failedEvents: 1, pendingEvents: 1, verify: { ok: true, failed: [] } },
      security: { impact: false, reasons: [] },
    });
    const md = incidentReportMarkdown(report);
    expect(md).toContain(`# Incident Report\n\n**Incident ID**: INC-${id}\n`);
    expect(md).toContain('**Severity**: High\n');
    expect(md).toContain('Time to detect: 12m · time to acknowledge: 4m · time to resolve: 34m');
    expect(md).toContain(
      '- Revenue impact: ₹6,697.00 in 3 failed payments; ₹1,000.00 refunded in 1 refunds\n',
    );
    expect(md).toContain(
      '- Data loss: Yes (1 failed and 1 pending webhook events in the window; db verify clean)\n',
    );
    expect(md).toContain('- Security impact: No\n');
    expect(md).toContain('## Root Cause Analysis\n- the acquirer rotated its BIN list\n');
    expect(md).toContain('## Resolution Steps\n1. Switched the retry route\n2. flag: payments off');
  });

  it('reports an open incident up to now, and says what is not recorded yet; security from type and notes', async () => {
    const opened = await openIncident({
      ctx: t.ctx,
      input: { severity: 'critical', type: 'security.key-compromise', title: 'Key leaked', actor: 'cli:ops' },
    });
    await addIncidentNote({
      ctx: t.ctx,
      input: {
        id: opened.id,
        tag: 'security',
        message: 'key_secret seen in a public gist',
        actor: 'cli:ops',
      },
    });
    advance(3);
    const report = await writeIncidentReport({ ctx: t.ctx, input: { id: opened.id } });
    expect(report.window).toEqual({ from: opened.startedAt, to: t.ctx.now(), open: true });
    expect(report.durations).toEqual({ ttd: 0, tta: null, ttr: null, total: null });
    expect(report.figures.security).toEqual({
      impact: true,
      reasons: ['a security.key-compromise incident', 'key_secret seen in a public gist'],
    });
    const md = incidentReportMarkdown(report);
    expect(md).toContain(`**Duration**: ${opened.startedAt.toISOString().replace('.000Z', 'Z')} - ongoing\n`);
    expect(md).toContain('time to acknowledge: not yet · time to resolve: not yet');
    expect(md).toContain(
      '## Lessons Learned\n_None recorded (add a note: `polaris incident note <id> --tag <tag> --message …`)._',
    );
    expect(md).toContain(
      '- Data loss: No (0 failed and 0 pending webhook events in the window; db verify clean)',
    );
  });

  it('refuses a bad id, an unknown incident and an unknown note tag, writing nothing', async () => {
    const opened = await openIncident({
      ctx: t.ctx,
      input: { severity: 'low', type: 'payment', title: 'x', actor: 'cli:ops' },
    });
    const audit = await incidentAuditRows(get().db);
    await expect(writeIncidentReport({ ctx: t.ctx, input: { id: 'abc' } })).rejects.toMatchObject({
      code: 'bad_request',
      message: "id: 'abc' is not an incident id (a number such as 12)",
    });
    await expect(writeIncidentReport({ ctx: t.ctx, input: { id: '999999' } })).rejects.toMatchObject({
      code: 'not_found',
      message: 'no incident INC-999999',
    });
    await expect(
      addIncidentNote({ ctx: t.ctx, input: { id: opened.id, tag: 'gossip', message: 'x', actor: 'a' } }),
    ).rejects.toMatchObject({
      code: 'bad_request',
      message:
        "tag: 'gossip' is not one of summary, impact, root-cause, resolution, lesson, prevention, follow-up, security",
    });
    expect(await incidentAuditRows(get().db)).toEqual(audit);
  });
});
