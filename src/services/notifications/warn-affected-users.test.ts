import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { notifyingContext, resetNotifications } from '../../../test/support/notifications.ts';
import { mailText, startSmtpServer } from '../../../test/support/notify-receivers.ts';
import { createSubscription, createUser, rzpId } from '../../../test/support/seed.ts';
import type { ServiceContext } from '../context.ts';
import { openIncident } from '../incidents/open-incident.ts';
import { deliverNotifications } from './deliver-notifications.ts';
import { warnAffectedUsers } from './warn-affected-users.ts';

describeEachBackend(
  'affected users of a payment incident get the Service Outage mail',
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

    const failedPayment = async (email: string, at: Date) => {
      const user = await createUser(get().db, email);
      const subscription = await createSubscription(get().db, user);
      await get()
        .db.insertInto('payments')
        .values({
          subscription_id: subscription,
          user_id: user,
          razorpay_payment_id: rzpId('pay'),
          amount: 349_900,
          status: 'failed',
          failed_at: at,
        })
        .execute();
    };

    it('tells users whose payments failed since the incident started, each once, and no one for other incidents', async () => {
      const started = new Date(n.clock.now.getTime() - 10 * 60_000);
      const tag = rzpId('u').toLowerCase();
      await failedPayment(`before-${tag}@example.com`, new Date(started.getTime() - 60_000));
      await failedPayment(`during-${tag}@example.com`, new Date(started.getTime() + 60_000));
      await openIncident({
        ctx,
        input: {
          severity: 'low',
          type: 'infrastructure.cdn',
          title: 'Not about payments',
          started: started.toISOString(),
          actor: 'cli:ops',
        },
      });
      expect(await warnAffectedUsers({ ctx })).toEqual({ incidents: 0, queued: 0 });

      const incident = await openIncident({
        ctx,
        input: {
          severity: 'high',
          type: 'payment.processing',
          title: 'Card payments failing',
          components: 'checkout',
          started: started.toISOString(),
          actor: 'cli:ops',
        },
      });
      expect(await warnAffectedUsers({ ctx })).toEqual({ incidents: 1, queued: 1 });
      expect(await warnAffectedUsers({ ctx })).toEqual({ incidents: 1, queued: 0 });
      await failedPayment(`later-${tag}@example.com`, n.clock.now);
      expect(await warnAffectedUsers({ ctx })).toEqual({ incidents: 1, queued: 1 });
      await deliverNotifications({ ctx });

      expect(smtp.mails.map((m) => m.to[0])).toEqual([
        `during-${tag}@example.com`,
        `later-${tag}@example.com`,
      ]);
      const mail = smtp.mails[0]!;
      expect(mail.headers.subject).toBe('SmartSlate Service Outage - Payment Processing Issues');
      const text = mailText(mail);
      expect(text).toContain(`Incident: INC-${incident.id}, since 2026-11-30 02:50 UTC`);
      expect(text).toContain('- Unable to process new subscription payments');
      expect(text).toContain('- Blueprint creation continues to work');
      expect(text).toContain(
        'ETA: not known yet; our next update will be on the status page within 30 minutes.',
      );
      expect(text).toContain('Support: support@smartslate.test');
    });
  },
);
