import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  hexDigestEquals,
  secretFingerprint,
  signSubscriptionPayment,
  signWebhookBody,
  verifyPaymentSignature,
  verifyWebhookSignature,
} from './signature.ts';

const body = '{"entity":"event","event":"payment.captured","payload":{},"created_at":1}';

describe('webhook signatures', () => {
  it('is the hex HMAC-SHA256 of the raw bytes with the webhook secret', () => {
    const expected = createHmac('sha256', 's3cret').update(body).digest('hex');
    expect(signWebhookBody(body, 's3cret')).toBe(expected);
    expect(signWebhookBody(Buffer.from(body), 's3cret')).toBe(expected);
  });

  it('accepts the current or the previous secret and says which matched', () => {
    const sig = signWebhookBody(body, 'old');
    expect(verifyWebhookSignature(body, sig, ['new', 'old'])).toEqual({
      ok: true,
      value: { secretIndex: 1 },
    });
    expect(verifyWebhookSignature(body, sig.toUpperCase(), ['old']).ok).toBe(true);
  });

  it.each([
    ['missing', undefined, 'missing_signature'],
    ['not hex', 'zz', 'malformed_signature'],
    ['wrong secret', signWebhookBody(body, 'other'), 'mismatch'],
    ['re-serialised body', signWebhookBody(JSON.stringify(JSON.parse(body), null, 1), 's3cret'), 'mismatch'],
  ])('rejects a %s signature', (_name, sig, error) => {
    expect(verifyWebhookSignature(body, sig, ['s3cret'])).toEqual({ ok: false, error });
  });

  it('rejects everything when no secret is configured', () => {
    expect(verifyWebhookSignature(body, signWebhookBody(body, 'x'), [undefined, ''])).toEqual({
      ok: false,
      error: 'no_secret',
    });
  });

  it('compares digests of different lengths as unequal without throwing', () => {
    expect(hexDigestEquals('ab'.repeat(32), 'ab'.repeat(31))).toBe(false);
  });
});

describe('checkout signatures', () => {
  it('signs payment_id|subscription_id for subscriptions and order_id|payment_id for orders', () => {
    const sub = signSubscriptionPayment('pay_1', 'sub_1', 'key_secret');
    expect(sub).toBe(createHmac('sha256', 'key_secret').update('pay_1|sub_1').digest('hex'));
    expect(
      verifyPaymentSignature({ paymentId: 'pay_1', subscriptionId: 'sub_1' }, sub, 'key_secret').ok,
    ).toBe(true);
    expect(
      verifyPaymentSignature({ paymentId: 'pay_1', subscriptionId: 'sub_2' }, sub, 'key_secret').ok,
    ).toBe(false);
    const order = createHmac('sha256', 'key_secret').update('order_1|pay_1').digest('hex');
    expect(verifyPaymentSignature({ paymentId: 'pay_1', orderId: 'order_1' }, order, 'key_secret').ok).toBe(
      true,
    );
    expect(verifyPaymentSignature({ paymentId: 'pay_1', orderId: 'order_1' }, sub, 'key_secret')).toEqual({
      ok: false,
      error: 'mismatch',
    });
  });
});

describe('webhook secret fingerprints', () => {
  it('names a secret by 16 hex that are stable, differ per secret, and do not contain it', () => {
    const fp = secretFingerprint('whsec_rotation_example_01');
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(secretFingerprint('whsec_rotation_example_01')).toBe(fp);
    expect(secretFingerprint('whsec_rotation_example_02')).not.toBe(fp);
    expect(fp).not.toBe(signWebhookBody('', 'whsec_rotation_example_01').slice(0, 16));
  });
});
