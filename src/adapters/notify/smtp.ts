import nodemailer from 'nodemailer';
import type { NotifyChannel, SendResult } from './channel.ts';

/** The host part of a Message-ID: the sender's domain, or localhost. */
function messageIdHost(from: string): string {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
}

/**
 * Mail over SMTP (nodemailer, `SMTP_URL`). Each delivery keeps one Message-ID, so a mail sent again
 * by an operator's retry threads with (and is dropped by clients as) the first.
 */
export function smtpChannel(options: { url: string; from: string }): NotifyChannel & { close(): void } {
  const transport = nodemailer.createTransport(options.url);
  const host = messageIdHost(options.from);
  return {
    async send(message): Promise<SendResult> {
      try {
        await transport.sendMail({
          from: options.from,
          to: message.recipient,
          subject: message.subject,
          text: message.text,
          messageId: `<polaris-notification-${message.deliveryId}@${host}>`,
          headers: message.unsubscribeUrl
            ? {
                'List-Unsubscribe': `<${message.unsubscribeUrl}>`,
                'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              }
            : {},
        });
        return { ok: true };
      } catch (error) {
        const { responseCode, message: text } = error as { responseCode?: number; message?: string };
        // 5xx is the server refusing for good (no such mailbox); 4xx and connection errors may pass later.
        const permanent = typeof responseCode === 'number' && responseCode >= 500;
        return {
          ok: false,
          failure: {
            kind: permanent ? 'permanent' : 'retry',
            message: `SMTP: ${responseCode ? `${responseCode} ` : ''}${text ?? 'send failed'}`,
          },
        };
      }
    },
    close: () => transport.close(),
  };
}
