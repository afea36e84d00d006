import { hexDigestEquals, hmacSha256Hex } from '../razorpay/signature.ts';
import type { NotifyChannel } from './channel.ts';
import { postJson } from './http-post.ts';

/** The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-polaris-signature';

/** The header naming the delivery, the same on every attempt: a receiver drops a repeat by it. */
export const DELIVERY_HEADER = 'x-polaris-delivery';

/** The signature header's value for a body at a time. */
export function signNotification(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacSha256Hex(secret, `${unixSeconds}.${body}`)}`;
}

/** Checks a signature header in constant time (what a receiver does; the tests use it). */
export function verifyNotificationSignature(secret: string, body: string, header: string | null): boolean {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) return false;
  return hexDigestEquals(hmacSha256Hex(secret, `${match[1]}.${body}`), match[2]);
}

/** A generic webhook (`NOTIFY_WEBHOOK_URL`) signed with `NOTIFY_WEBHOOK_SECRET`. */
export function signedWebhookChannel(options: {
  url: string;
  secret: string;
  now: () => Date;
}): NotifyChannel {
  return {
    send(message) {
      const body = JSON.stringify({
        id: message.deliveryId,
        key: message.requestKey,
        subject: message.subject,
        text: message.text,
      });
      const at = Math.floor(options.now().getTime() / 1000);
      return postJson(
        options.url,
        body,
        {
          [SIGNATURE_HEADER]: signNotification(options.secret, body, at),
          [DELIVERY_HEADER]: message.deliveryId,
        },
        'the notification webhook',
      );
    },
  };
}
