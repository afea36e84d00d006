import type { Logger } from '../logger.ts';
import type { NotifyChannel } from './channel.ts';

/**
 * Writes the message to the log: the roster's last resort when no address is configured, and
 * mail outside production when SMTP_URL is unset (a confirmation link shows in the dev log).
 */
export function consoleChannel(log: Logger): NotifyChannel {
  return {
    async send(message) {
      log.info(
        {
          notification: message.deliveryId,
          key: message.requestKey,
          to: message.recipient,
          subject: message.subject,
          text: message.text,
        },
        'notification',
      );
      return { ok: true };
    },
  };
}
