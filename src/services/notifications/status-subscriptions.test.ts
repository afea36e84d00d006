import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { deliveryRows, notifyingContext, resetNotifications } from '../../../test/support/notifications.ts';
import { mailText, startSmtpServer } from '../../../test/support/notify-receivers.ts';
import type { ServiceContext } from '../context.ts';
import { openIncident } from '../incidents/open-incident.ts';
import { updateIncident } from '../incidents/update-incident.ts';
import { announceIncidentUpdates } from './announce-incident-updates.ts';
import { confirmStatusSubscription } from './confirm-status-subscription.ts';
import { deliverNotifications } from './deliver-notifications.ts';
import { enqueueNotification } from './enqueue-notification.ts';
import { subscribeToStatus } from './subscribe-to-status.ts';
import { unsubscribeFromStatus } from './unsubscribe-from-status.ts';

describeEachBackend(
  'status subscriptions: double opt-in, updates, one-click unsubscribe',
  { migrated: true },
  (get) => {
    let t: Awaited<ReturnType<typeof createTestContext>>;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let n: ReturnType<typeof notifyingContext>;
    let ctx: ServiceContext;
    beforeAll(async () => {
      t = await createTestContext(get());
      smtp = await startSmtpServer();
    });
    afterAll(async () => {
      n?.close();
      await smtp?.close();
      await t?.close();
    });
    beforeEach(async () => {
      await resetNotifications(get().db);
      smtp.mails.length = 0;
      n?.close();
      n = notifyingContext(t.ctx, { smtpUrl: smtp.url });
      ctx = n.ctx;
    });

    const linkIn = (text: string, path: string) => {
      const match = new RegExp(`http://localhost:3000${path}\\?token=([A-Za-z0-9_-]{43})`).exec(text);
      if (!match?.[1]) throw new Error(`no ${path} link in:\n${text}`);
      return match[1];
    };
    const subscribeAndConfirm = async (email: string) => {
      expect(await subscribeToStatus({ ctx, input: { email } })).toEqual({ outcome: 'confirmation-queued' });
      await deliverNotifications({ ctx });
      const mail = smtp.mails.at(-1)!;
      expect(mail.to).toEqual([email.trim().toLowerCase()]);
      return confirmStatusSubscription({ ctx, input: { token: linkIn(mailText(mail), '/status/confirm') } });
    };
    const publicUpdate = async (message: string) => {
      const incident = await openIncident({
        ctx,
        input: { severity: 'medium', type: 'infrastructure.cdn', title: 'Slow page loads', actor: 'cli:ops' },
      });
      await updateIncident({
        ctx,
        input: { id: incident.id, status: 'identified', message, public: true, actor: 'cli:ops' },
      });
      await updateIncident({
        ctx,
        input: { id: incident.id, status: 'identified', message: 'internal only', actor: 'cli:ops' },
      });
      return incident;
    };

    it('mails a public update only to confirmed subscribers, once, with a one-click unsubscribe link', async () => {
      expect(await subscribeAndConfirm(' Reader@Example.com ')).toEqual({
        email: 'reader@example.com',
        already: false,
      });
      await subscribeToStatus({ ctx, input: { email: 'unconfirmed@example.com' } });
      await deliverNotifications({ ctx });
      smtp.mails.length = 0;

      const incident = await publicUpdate('A CDN region is failing over');
      expect(await announceIncidentUpdates({ ctx })).toEqual({ updates: 1, queued: 1 });
      expect(await announceIncidentUpdates({ ctx })).toEqual({ updates: 0, queued: 0 });
      await deliverNotifications({ ctx });
      expect(smtp.mails.map((m) => m.to)).toEqual([['reader@example.com']]);
      const mail = smtp.mails[0]!;
      expect(mail.headers.subject).toBe(`[SmartSlate status] INC-${incident.id} identified: Slow page loads`);
      const text = mailText(mail);
      expect(text).toContain('A CDN region is failing over');
      expect(text).not.toContain('internal only');
      expect(text).toContain('Status Page: http://localhost:3000/status');
      const token = linkIn(text, '/status/unsubscribe');
      expect(mail.headers['list-unsubscribe']).toBe(
        `<http://localhost:3000/status/unsubscribe?token=${token}>`,
      );
      expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

      expect(await unsubscribeFromStatus({ ctx, input: { token } })).toEqual({
        email: 'reader@example.com',
        already: false,
      });
      expect(await unsubscribeFromStatus({ ctx, input: { token } })).toEqual({
        email: 'reader@example.com',
        already: true,
      });
      await publicUpdate('Another one');
      expect(await announceIncidentUpdates({ ctx })).toEqual({ updates: 1, queued: 0 });
      const audit = await get()
        .db.selectFrom('audit_log')
        .select('action')
        .where('action', 'like', 'status-subscription%')
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'status-subscription.confirm',
        'status-subscription.unsubscribe',
      ]);
    });

    it('sends one confirmation mail per address per hour, and a new link replaces the old', async () => {
      await subscribeToStatus({ ctx, input: { email: 'a@example.com' } });
      expect(await subscribeToStatus({ ctx, input: { email: 'A@example.com' } })).toEqual({
        outcome: 'confirmation-recent',
      });
      await deliverNotifications({ ctx });
      expect(smtp.mails).toHaveLength(1);
      const first = linkIn(mailText(smtp.mails[0]!), '/status/confirm');

      n.advance(61 * 60_000);
      expect(await subscribeToStatus({ ctx, input: { email: 'a@example.com' } })).toEqual({
        outcome: 'confirmation-queued',
      });
      await deliverNotifications({ ctx });
      expect(smtp.mails).toHaveLength(2);
      await expect(confirmStatusSubscription({ ctx, input: { token: first } })).rejects.toMatchObject({
        code: 'not_found',
        message: 'this confirmation link is not valid (a newer one may have been sent)',
      });
      const second = linkIn(mailText(smtp.mails[1]!), '/status/confirm');
      expect(await confirmStatusSubscription({ ctx, input: { token: second } })).toMatchObject({
        already: false,
      });
      expect(await confirmStatusSubscription({ ctx, input: { token: second } })).toMatchObject({
        already: true,
      });
      expect(await subscribeToStatus({ ctx, input: { email: 'a@example.com' } })).toEqual({
        outcome: 'already-subscribed',
      });
    });

    it('refuses bad addresses, bad and stale tokens with a clear error and writes nothing', async () => {
      for (const [email, message] of [
        [undefined, 'email: required'],
        ['  ', 'email: required'],
        ['not-an-address', "email: 'not-an-address' is not an email address"],
        [`${'a'.repeat(320)}@example.com`, 'email: at most 320 characters'],
      ] as const) {
        await expect(subscribeToStatus({ ctx, input: { email } })).rejects.toMatchObject({
          code: 'bad_request',
          message,
        });
      }
      for (const [token, code, message] of [
        [undefined, 'bad_request', 'token: required (open the link from the mail)'],
        ['short', 'bad_request', 'token: not a link Polaris sent (copy the whole link from the mail)'],
        ['A'.repeat(43), 'not_found', 'this confirmation link is not valid (a newer one may have been sent)'],
      ] as const) {
        await expect(confirmStatusSubscription({ ctx, input: { token } })).rejects.toMatchObject({
          code,
          message,
        });
      }
      await expect(unsubscribeFromStatus({ ctx, input: { token: 'B'.repeat(43) } })).rejects.toMatchObject({
        code: 'not_found',
        message: 'this unsubscribe link is not valid',
      });
      expect(await get().db.selectFrom('status_subscriptions').selectAll().execute()).toEqual([]);
      expect(await deliveryRows(get().db)).toEqual([]);

      await subscribeToStatus({ ctx, input: { email: 'late@example.com' } });
      await deliverNotifications({ ctx });
      n.advance(8 * 86_400_000);
      await expect(
        confirmStatusSubscription({
          ctx,
          input: { token: linkIn(mailText(smtp.mails.at(-1)!), '/status/confirm') },
        }),
      ).rejects.toMatchObject({
        code: 'bad_request',
        message: 'this confirmation link is older than 7 days; subscribe again',
      });
      expect(
        (await get().db.selectFrom('status_subscriptions').select('status').execute()).map((r) => r.status),
      ).toEqual(['pending']);
    });

    it('queues an update for more subscribers than one statement can carry, once each', async () => {
      await sql`
      INSERT INTO status_subscriptions (email, status, confirm_token_hash, unsubscribe_token, confirm_sent_at, created_at, confirmed_at)
      SELECT 'bulk' || i || '@example.com', 'confirmed', md5('c' || i), md5('u' || i) || md5('v' || i), now(), now(), now()
      FROM generate_series(1, 9000) AS i`.execute(get().db);
      const input = {
        key: 'incident-update:bulk',
        template: 'incident-update' as const,
        audience: { kind: 'status-subscribers' as const },
        vars: { incidentId: '1', title: 'Bulk', status: 'monitoring', message: 'Recovering' },
      };
      expect(await enqueueNotification({ ctx, input })).toEqual({ queued: 9000 });
      expect(await enqueueNotification({ ctx, input })).toEqual({ queued: 0 });
    });
  },
);
