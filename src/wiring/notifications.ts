import type { Logger } from '../adapters/logger.ts';
import type { NotificationsPort } from '../adapters/notify/channel.ts';
import { consoleChannel } from '../adapters/notify/console.ts';
import { signedWebhookChannel } from '../adapters/notify/signed-webhook.ts';
import { slackChannel } from '../adapters/notify/slack.ts';
import { smtpChannel } from '../adapters/notify/smtp.ts';
import type { Config } from '../config.ts';

/** The address inside `Name <address>`. */
const addressOf = (from: string) => /<([^>]+)>/.exec(from)?.[1] ?? from;

/** The log as every channel (tests, benches, a context built without configuration). */
export function consoleNotifications(log: Logger): NotificationsPort {
  const console = consoleChannel(log);
  return { channels: { email: console, console }, supportAddress: 'support@localhost' };
}

/**
 * The channels the configuration names. Without SMTP_URL, mail goes to the log outside production
 * and fails (naming SMTP_URL, visible in `notifications list`) in production, where a log is no inbox.
 */
export function notificationsPort(config: Config, log: Logger): NotificationsPort {
  const console = consoleChannel(log);
  const email = config.smtpUrl
    ? smtpChannel({ url: config.smtpUrl, from: config.notifyFrom })
    : config.env === 'production'
      ? undefined
      : console;
  return {
    channels: {
      console,
      ...(email ? { email } : {}),
      ...(config.slackWebhookUrl ? { slack: slackChannel(config.slackWebhookUrl) } : {}),
      ...(config.notifyWebhook
        ? { webhook: signedWebhookChannel({ ...config.notifyWebhook, now: () => new Date() }) }
        : {}),
    },
    supportAddress: addressOf(config.notifyFrom),
    alertAddress: config.alertEmail,
  };
}
