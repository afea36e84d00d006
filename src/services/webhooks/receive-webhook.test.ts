import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { secretFingerprint, signWebhookBody } from '../../adapters/razorpay/signature.ts';
import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { receiveWebhook } from './receive-webhook.ts';

const CURRENT = 'rotation-current-secret-0001';
const PREVIOUS = 'rotation-previous-secret-001';

const envelope = (id: string) =>
  JSON.stringify({
    entity: 'event',
    account_id: 'acc_Polaris000001',
    event: 'payment.captured',
    contains: ['payment'],
    payload: { payment: { entity: { id: `pay_${id}` } } },
    created_at: 1_780_000_000,
  });

describeEachBackend('receiveWebhook records which secret verified each event', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let ctx: ServiceContext;
  const deliver = (id: string, secret: string, signature?: string | null) => {
    const body = envelope(id);
    return receiveWebhook({
      ctx,
      input: {
        body: new TextEncoder().encode(body),
        signature: signature === undefined ? signWebhookBody(body, secret) : signature,
        eventId: id,
      },
    });
  };
  const row = (id: string) =>
    get()
      .db.selectFrom('razorpay_webhook_events')
      .select(['event_id', 'secret_fingerprint'])
      .where('event_id', '=', id)
      .executeTakeFirst();

  beforeAll(async () => {
    t = await createTestContext(get());
    ctx = { ...t.ctx, settings: { ...t.ctx.settings, webhookSecrets: [CURRENT, PREVIOUS] } };
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores the fingerprint of the current secret, or of the previous one, never the secret itself', async () => {
    expect(await deliver('SignedCurrent1', CURRENT)).toMatchObject({ duplicate: false, status: 'pending' });
    expect(await deliver('SignedPrevious', PREVIOUS)).toMatchObject({ duplicate: false, status: 'pending' });
    expect(await row('SignedCurrent1')).toEqual({
      event_id: 'SignedCurrent1',
      secret_fingerprint: secretFingerprint(CURRENT),
    });
    expect(await row('SignedPrevious')).toEqual({
      event_id: 'SignedPrevious',
      secret_fingerprint: secretFingerprint(PREVIOUS),
    });
    expect(secretFingerprint(CURRENT)).toMatch(/^[0-9a-f]{16}$/);
    expect(secretFingerprint(CURRENT)).not.toBe(secretFingerprint(PREVIOUS));
    const stored = JSON.stringify(await get().db.selectFrom('razorpay_webhook_events').selectAll().execute());
    expect(stored).not.toContain(CURRENT);
    expect(stored).not.toContain(PREVIOUS);
  });

  it('keeps the first delivery of an event id: a duplicate signed with the other secret changes nothing', async () => {
    await deliver('DuplicateSig01', PREVIOUS);
    expect(await deliver('DuplicateSig01', CURRENT)).toMatchObject({ duplicate: true });
    expect((await row('DuplicateSig01'))?.secret_fingerprint).toBe(secretFingerprint(PREVIOUS));
  });

  it('stores neither a forged nor an unsigned delivery', async () => {
    await expect(deliver('ForgedSecret01', 'a-third-secret-nobody-has')).rejects.toMatchObject({
      code: 'unauthorized',
      message: 'invalid webhook signature',
    });
    await expect(deliver('UnsignedEvent1', CURRENT, null)).rejects.toBeInstanceOf(AppError);
    await expect(deliver('UnsignedEvent1', CURRENT, null)).rejects.toMatchObject({ code: 'bad_request' });
    expect(await row('ForgedSecret01')).toBeUndefined();
    expect(await row('UnsignedEvent1')).toBeUndefined();
  });
});
