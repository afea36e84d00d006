import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, createUnreachableContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import {
  deliveryRows,
  notifyingContext,
  resetNotifications,
  WEBHOOK_SECRET,
} from '../../../test/support/notifications.ts';
import { mailText, startHttpReceiver, startSmtpServer } from '../../../test/support/notify-receivers.ts';
import { verifyNotificationSignature } from '../../adapters/notify/signed-webhook.ts';
import type { ServiceContext } from '../context.ts';
import { openIncident } from '../incidents/open-incident.ts';
import { deliverNotifications } from './deliver-notifications.ts';
import { enqueueNotification } from './enqueue-notification.ts';
import { retryNotification } from './retry-notification.ts';

describeEachBackend('notifications outbox: SMTP, Slack, signed webhook', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let http: Awaited<ReturnType<typeof startHttpReceiver>>;
  let n: ReturnType<typeof notifyingContext>;
  let ctx: ServiceContext;
  beforeAll(async () => {
    t = await createTestContext(get());
    smtp = await startSmtpServer({ reject: ['gone@ops.test'] });
    http = await startHttpReceiver();
  });
  afterAll(async () => {
    n?.close();
    await smtp?.close();
    await http?.close();
    await t?.close();
  });
  beforeEach(async () => {
    await resetNotifications(get().db);
    smtp.mails.length = 0;
    http.posts.length = 0;
    http.statuses.length = 0;
    smtp.state.failNext = 0;
    n?.close();
    n = notifyingContext(t.ctx, { smtpUrl: smtp.url, httpUrl: http.url });
    ctx = n.ctx;
  });

  const page = async (key = 'escalation:1:1') => {
    const incident = await openIncident({
      ctx,
      input: {
        severity: 'high',
        type: 'payment.processing',
        title: 'Card payments failing',
        components: 'checkout',
        actor: 'cli:ops',
      },
    });
    const request = {
      key: key.replace(':1:', `:${incident.id}:`),
      template: 'incident-page' as const,
      audience: { kind: 'roster' as const, level: 1 },
      vars: {
        incidentId: incident.id,
        title: incident.title,
        severity: incident.severity,
        type: incident.type,
        components: incident.components.join(','),
        startedAt: incident.startedAt.toISOString(),
        detectedAt: incident.detectedAt.toISOString(),
      },
      incidentId: incident.id,
    };
    return { incident, request };
  };

  it('pages level 1 by email, Slack and the signed webhook, exactly once however often the key is queued', async () => {
    const { incident, request } = await page();
    expect(await enqueueNotification({ ctx, input: request })).toEqual({ queued: 4 });
    expect(await enqueueNotification({ ctx, input: request })).toEqual({ queued: 0 });
    expect(await deliverNotifications({ ctx })).toEqual({ sent: 4, retrying: 0, failed: 0, uncertain: 0 });
    expect(await deliverNotifications({ ctx })).toEqual({ sent: 0, retrying: 0, failed: 0, uncertain: 0 });

    expect(smtp.mails.map((m) => m.to).sort()).toEqual([['asha@ops.test'], ['ravi@ops.test']]);
    const mail = smtp.mails[0]!;
    expect(mail.headers.subject).toBe(`[HIGH] INC-${incident.id} Card payments failing`);
    const text = mailText(mail);
    expect(text).toContain('Escalation level 1 (on-call engineer): respond within 1 hour.');
    expect(text).toContain(`polaris incident ack ${incident.id}`);
    expect(text).toContain('Started: 2026-11-30 03:00 UTC');

    const slack = http.posts.find((p) => p.path === '/slack');
    expect(JSON.parse(slack!.body)).toMatchObject({ channel: '#incidents' });
    const hook = http.posts.find((p) => p.path === '/hook')!;
    expect(
      verifyNotificationSignature(WEBHOOK_SECRET, hook.body, String(hook.headers['x-polaris-signature'])),
    ).toBe(true);
    expect(
      verifyNotificationSignature(
        'another-secret-0123456789',
        hook.body,
        String(hook.headers['x-polaris-signature']),
      ),
    ).toBe(false);
    expect(JSON.parse(hook.body)).toMatchObject({ key: request.key, subject: mail.headers.subject });

    const rows = await deliveryRows(get().db);
    expect(rows.map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ['email', 'sent', 1],
      ['slack', 'sent', 1],
      ['email', 'sent', 1],
      ['webhook', 'sent', 1],
    ]);
    const timeline = await ctx.repos.incidents.timeline(incident.id);
    expect(timeline.filter((e) => e.kind === 'notification').map((e) => e.message)).toEqual([
      'incident-page queued for roster level 1: 4 deliveries',
    ]);
  });

  it('two deliverers at once send each message once', async () => {
    const { request } = await page();
    await enqueueNotification({ ctx, input: request });
    const [a, b] = await Promise.all([deliverNotifications({ ctx }), deliverNotifications({ ctx })]);
    expect(a.sent + b.sent).toBe(4);
    expect(smtp.mails).toHaveLength(2);
    expect(http.posts).toHaveLength(2);
  });

  it('retries a refused send after a backoff that doubles, and gives up on a permanent refusal', async () => {
    const { incident } = await page();
    smtp.state.failNext = 2;
    await enqueueNotification({
      ctx,
      input: {
        key: 'one',
        template: 'incident-page',
        audience: { kind: 'email', address: 'lead@ops.test' },
        vars: { incidentId: incident.id },
      },
    });
    await enqueueNotification({
      ctx,
      input: {
        key: 'two',
        template: 'incident-page',
        audience: { kind: 'email', address: 'gone@ops.test' },
        vars: { incidentId: incident.id },
      },
    });
    expect(await deliverNotifications({ ctx })).toMatchObject({ sent: 0, retrying: 1, failed: 1 });
    let rows = await deliveryRows(get().db);
    expect(rows[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      next_attempt_at: new Date(n.clock.now.getTime() + 30_000),
    });
    expect(rows[0]!.last_error).toContain('451');
    expect(rows[1]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(rows[1]!.last_error).toContain('550');

    expect(await deliverNotifications({ ctx })).toMatchObject({ sent: 0, retrying: 0 });
    n.advance(30_000);
    expect(await deliverNotifications({ ctx })).toMatchObject({ retrying: 1 });
    rows = await deliveryRows(get().db);
    expect(rows[0]).toMatchObject({ attempts: 2, next_attempt_at: new Date(n.clock.now.getTime() + 60_000) });
    n.advance(60_000);
    expect(await deliverNotifications({ ctx })).toMatchObject({ sent: 1 });
    expect(smtp.mails.map((m) => m.to)).toEqual([['lead@ops.test']]);
  });

  it('a webhook answering 500 is retried, one answering 400 is failed', async () => {
    await enqueueNotification({ ctx, input: (await page()).request });
    http.statuses.push(500, 400);
    expect(await deliverNotifications({ ctx })).toMatchObject({ sent: 2, retrying: 1, failed: 1 });
    const rows = await deliveryRows(get().db);
    expect(rows.find((r) => r.channel === 'slack')).toMatchObject({
      status: 'pending',
      last_error: 'the Slack webhook answered HTTP 500',
    });
    expect(rows.find((r) => r.channel === 'webhook')).toMatchObject({
      status: 'failed',
      last_error: 'the notification webhook answered HTTP 400',
    });
  });

  it('a deliverer that dies between send and mark leaves the message uncertain, never resent until an operator retries it', async () => {
    const { request } = await page();
    await enqueueNotification({
      ctx,
      input: { ...request, audience: { kind: 'email', address: 'lead@ops.test' } },
    });
    // The dying deliverer: claims (committed), sends, and stops before marking.
    const [claimed] = await ctx.repos.notifications.claimDue(ctx.now(), 10);
    await ctx.notifications.channels.email!.send({
      deliveryId: claimed!.id,
      requestKey: claimed!.requestKey,
      recipient: claimed!.recipient,
      subject: claimed!.subject,
      text: claimed!.body,
      unsubscribeUrl: null,
    });
    expect(smtp.mails).toHaveLength(1);

    n.advance(4 * 60_000);
    expect(await deliverNotifications({ ctx })).toEqual({ sent: 0, retrying: 0, failed: 0, uncertain: 0 });
    n.advance(2 * 60_000);
    expect(await deliverNotifications({ ctx })).toEqual({ sent: 0, retrying: 0, failed: 0, uncertain: 1 });
    expect(await deliverNotifications({ ctx })).toMatchObject({ sent: 0 });
    expect(smtp.mails).toHaveLength(1);
    expect((await deliveryRows(get().db))[0]).toMatchObject({ status: 'uncertain' });

    await expect(
      retryNotification({ ctx, input: { id: claimed!.id, actor: 'cli:ops' } }),
    ).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('may have gone out already'),
    });
    const retried = await retryNotification({
      ctx,
      input: { id: claimed!.id, actor: 'cli:ops', resendUncertain: true },
    });
    expect(retried.was).toBe('uncertain');
    expect(await deliverNotifications({ ctx })).toMatchObject({ sent: 1 });
    // The resend keeps the first one's Message-ID, so mail clients show it once.
    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails[1]!.headers['message-id']).toBe(smtp.mails[0]!.headers['message-id']);
    const audit = await get()
      .db.selectFrom('audit_log')
      .select(['actor', 'action', 'target'])
      .where('action', '=', 'notification.retry')
      .execute();
    expect(audit).toEqual([
      { actor: 'cli:ops', action: 'notification.retry', target: `notification:${claimed!.id}` },
    ]);
  });

  it('refuses a bad request with a clear error and writes nothing', async () => {
    const { incident } = await page();
    const base = { key: 'k', template: 'incident-page' as const, vars: {} };
    const cases: [Parameters<typeof enqueueNotification>[0]['input'], string, string][] = [
      [
        { ...base, template: 'nope' as never, audience: { kind: 'roster', level: 1 } },
        'bad_request',
        "template: 'nope' is not one of",
      ],
      [
        { ...base, audience: { kind: 'roster', level: 9 } },
        'bad_request',
        'audience.level: no escalation level 9 (the ladder has 4)',
      ],
      [
        { ...base, audience: { kind: 'roster', level: 0 } },
        'bad_request',
        "audience.level: '0' is not a level",
      ],
      [
        { ...base, audience: { kind: 'email', address: 'not-mail' } },
        'bad_request',
        "audience.address: 'not-mail' is not an email address",
      ],
      [
        { ...base, key: '', audience: { kind: 'email', address: 'a@b.test' } },
        'bad_request',
        'key: 1 to 300 characters',
      ],
      [
        { ...base, audience: { kind: 'affected-users', incidentId: '999999' } },
        'not_found',
        'audience.incidentId: no incident 999999',
      ],
      [
        { ...base, incidentId: '999999', audience: { kind: 'email', address: 'a@b.test' } },
        'not_found',
        'incidentId: no incident 999999',
      ],
    ];
    for (const [input, code, message] of cases) {
      await expect(enqueueNotification({ ctx, input })).rejects.toMatchObject({
        code,
        message: expect.stringContaining(message),
      });
    }
    expect(await deliveryRows(get().db)).toEqual([]);
    expect(await get().db.selectFrom('notification_requests').selectAll().execute()).toEqual([]);
    expect((await ctx.repos.incidents.timeline(incident.id)).map((e) => e.kind)).toEqual(['opened']);
  });

  it('a level with no address pages ALERT_EMAIL and the log, and email without SMTP fails naming SMTP_URL', async () => {
    n.close();
    n = notifyingContext(t.ctx, { smtpUrl: smtp.url, alertAddress: 'alerts@ops.test' });
    ctx = n.ctx;
    const { request } = await page();
    expect(
      await enqueueNotification({ ctx, input: { ...request, audience: { kind: 'roster', level: 2 } } }),
    ).toEqual({ queued: 2 });
    expect(await deliverNotifications({ ctx })).toMatchObject({ sent: 2 });
    expect(smtp.mails.map((m) => m.to)).toEqual([['alerts@ops.test']]);
    expect(mailText(smtp.mails[0]!)).toContain('Escalation level 2 (team lead): respond within 1 hour.');

    const { email: _, ...others } = ctx.notifications.channels;
    const noSmtp = { ...ctx, notifications: { ...ctx.notifications, channels: others } };
    await enqueueNotification({
      ctx: noSmtp,
      input: { ...request, key: 'x', audience: { kind: 'email', address: 'a@b.test' } },
    });
    expect(await deliverNotifications({ ctx: noSmtp })).toMatchObject({ failed: 1 });
    expect((await deliveryRows(get().db)).at(-1)).toMatchObject({
      status: 'failed',
      last_error: 'no email channel configured (set SMTP_URL)',
    });
  });
});

describe('the delivery job over a database that cannot be reached', () => {
  it('fails with database_unavailable and sends nothing', async () => {
    const dead = await createUnreachableContext();
    const smtp = await startSmtpServer();
    const n = notifyingContext(dead.ctx, { smtpUrl: smtp.url });
    try {
      await expect(deliverNotifications({ ctx: n.ctx })).rejects.toMatchObject({
        code: 'database_unavailable',
      });
      await expect(
        enqueueNotification({
          ctx: n.ctx,
          input: {
            key: 'k',
            template: 'incident-page',
            audience: { kind: 'email', address: 'a@b.test' },
            vars: {},
          },
        }),
      ).rejects.toMatchObject({ code: 'database_unavailable' });
      expect(smtp.mails).toEqual([]);
    } finally {
      n.close();
      await smtp.close();
      await dead.close();
    }
  });
});
