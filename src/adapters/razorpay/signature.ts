import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Result } from '../../domain/errors.ts';

/** Why a signature check failed; expected failures are results, not exceptions. */
export type SignatureFailure = 'missing_signature' | 'malformed_signature' | 'mismatch' | 'no_secret';

/** Lowercase hex HMAC-SHA256 of `message` keyed with `secret` (Razorpay's only signing scheme). */
export function hmacSha256Hex(secret: string, message: string | Uint8Array): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

/** Signs a webhook body exactly as Razorpay does: hex HMAC over the raw bytes with the webhook secret. */
export function signWebhookBody(body: string | Uint8Array, secret: string): string {
  return hmacSha256Hex(secret, body);
}

/** Constant-time comparison of an expected hex digest with a received one. */
export function hexDigestEquals(expectedHex: string, receivedHex: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(receivedHex)) return false;
  const expected = Buffer.from(expectedHex, 'hex');
  const received = Buffer.from(receivedHex.toLowerCase(), 'hex');
  return expected.length === received.length && timingSafeEqual(expected, received);
}

/**
 * Verifies `X-Razorpay-Signature` over the raw body against each secret (current, then previous);
 * the value is the index of the secret that matched, so callers can count rotations.
 */
export function verifyWebhookSignature(
  body: string | Uint8Array,
  signature: string | null | undefined,
  secrets: readonly (string | undefined | null)[],
): Result<{ secretIndex: number }, SignatureFailure> {
  if (!signature) return { ok: false, error: 'missing_signature' };
  if (!/^[0-9a-f]{64}$/i.test(signature)) return { ok: false, error: 'malformed_signature' };
  const usable = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  if (usable.length === 0) return { ok: false, error: 'no_secret' };
  let matched = -1;
  // Check every secret so the time taken does not reveal which one matched.
  secrets.forEach((secret, index) => {
    if (typeof secret !== 'string' || secret.length === 0) return;
    if (hexDigestEquals(hmacSha256Hex(secret, body), signature) && matched === -1) matched = index;
  });
  return matched === -1 ? { ok: false, error: 'mismatch' } : { ok: true, value: { secretIndex: matched } };
}

// Fixed, so the same secret always has the same fingerprint on every instance and after restarts.
const FINGERPRINT_LABEL = 'polaris webhook secret fingerprint';

/**
 * A short public name for a webhook secret (16 hex of an HMAC keyed with it): recorded on each
 * stored event and shown by `polaris secrets status`, so rotations can be followed without the secret.
 */
export function secretFingerprint(secret: string): string {
  return hmacSha256Hex(secret, FINGERPRINT_LABEL).slice(0, 16);
}

/** Checkout signature for a subscription: HMAC of `payment_id|subscription_id` with the key secret. */
export function signSubscriptionPayment(
  paymentId: string,
  subscriptionId: string,
  keySecret: string,
): string {
  return hmacSha256Hex(keySecret, `${paymentId}|${subscriptionId}`);
}

/** Checkout signature for an order: HMAC of `order_id|payment_id` with the key secret. */
export function signOrderPayment(orderId: string, paymentId: string, keySecret: string): string {
  return hmacSha256Hex(keySecret, `${orderId}|${paymentId}`);
}

/** Verifies checkout's `razorpay_signature`, given ids the server stored itself (never the browser's). */
export function verifyPaymentSignature(
  ids: { paymentId: string; subscriptionId: string } | { paymentId: string; orderId: string },
  signature: string | null | undefined,
  keySecret: string,
): Result<true, SignatureFailure> {
  if (!signature) return { ok: false, error: 'missing_signature' };
  if (!/^[0-9a-f]{64}$/i.test(signature)) return { ok: false, error: 'malformed_signature' };
  const expected =
    'subscriptionId' in ids
      ? signSubscriptionPayment(ids.paymentId, ids.subscriptionId, keySecret)
      : signOrderPayment(ids.orderId, ids.paymentId, keySecret);
  return hexDigestEquals(expected, signature) ? { ok: true, value: true } : { ok: false, error: 'mismatch' };
}
