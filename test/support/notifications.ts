import type { Kysely } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';
import { consoleChannel } from '../../src/adapters/notify/console.ts';
import { signedWebhookChannel } from '../../src/adapters/notify/signed-webhook.ts';
import { slackChannel } from '../../src/adapters/notify/slack.ts';
import { smtpChannel } from '../../src/adapters/notify/smtp.ts';
import { PolicySchema } from '../../src/domain/policy.ts';
import type { ServiceContext } from '../../src/services/context.ts';

/** The signed webhook's secret in tests. */
export const WEBHOOK_SECRET = 'notify-webhook-secret-0123456789';

/** A roster of two at level 1 (email + Slack, email only) and one at level 2 (phone only). */
export const TEST_POLICY = PolicySchema.parse({
  roster: [
    {
      name: 'Asha',
      role: 'on-call engineer',
      level: 1,
      channels: { email: 'asha@ops.test', slack: '#incidents' },
    },
    { name: 'Ravi', role: 'on-call engineer', level: 1, channels: { email: 'ravi@ops.test' } },
    { name: 'Meera', role: 'team lead', level: 2, channels: { phone: '+91 22 0000 0000' } },
  ],
});

/**
 * The test context with real channels (SMTP to `smtpUrl`, Slack and the signed webhook to
 * `httpUrl`), the test roster and a clock the test moves.
 */
export function notifyingContext(
  base: ServiceContext,
  options: { smtpUrl: string; httpUrl?: string; start?: Date; alertAddress?: string },
) {
  const clock = { now: options.start ?? new Date('2026-11-30T03:00:00Z') };
  const now = () => clock.now;
  const smtp = smtpChannel({ url: options.smtpUrl, from: 'SmartSlate Status <status@smartslate.test>' });
  const ctx: ServiceContext = {
    ...base,
    now,
    policy: TEST_POLICY,
    notifications: {
      channels: {
        email: smtp,
        console: consoleChannel(base.log),
        ...(options.httpUrl
          ? {
              slack: slackChannel(`${options.httpUrl}/slack`),
              webhook: signedWebhookChannel({ url: `${options.httpUrl}/hook`, secret: WEBHOOK_SECRET, now }),
            }
          : {}),
      },
      supportAddress: 'support@smartslate.test',
      alertAddress: options.alertAddress,
    },
  };
  return {
    ctx,
    clock,
    advance: (ms: number) => {
      clock.now = new Date(clock.now.getTime() + ms);
    },
    close: () => smtp.close(),
  };
}

/** Forgets every notification, subscription and incident (between tests). */
export async function resetNotifications(db: Kysely<Database>) {
  await db.deleteFrom('notification_requests').execute();
  await db.deleteFrom('status_subscriptions').execute();
  await db.deleteFrom('incidents').execute();
  await db.deleteFrom('audit_log').where('action', 'like', 'notification%').execute();
  await db.deleteFrom('audit_log').where('action', 'like', 'status-subscription%').execute();
}

/** Every delivery row, oldest first. */
export function deliveryRows(db: Kysely<Database>) {
  return db
    .selectFrom('notifications')
    .select([
      'id',
      'request_key',
      'channel',
      'recipient',
      'status',
      'attempts',
      'next_attempt_at',
      'last_error',
    ])
    .orderBy('id')
    .execute();
}
