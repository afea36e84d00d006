import { describe, expect, it } from 'vitest';
import { allSamples } from '../../../test/support/razorpay-samples.ts';
import {
  EventInvoiceEntity,
  EventPaymentEntity,
  EventRefundEntity,
  EventSubscriptionEntity,
  HANDLED_EVENT_TYPES,
  isHandledEventType,
} from '../../domain/razorpay-event.ts';
import { snapshotFromEvent } from './snapshot-from-event.ts';

type Envelope = {
  event?: string;
  payload: Record<string, { entity?: { id?: string; status?: string } } | number>;
};

// Two published samples put `created_at` inside `payload` instead of beside it (razorpay-api-facts
// §1.5 calls it a documentation quirk). Real deliveries carry it at the top, and Polaris orders
// events by it, so the envelope refuses them while their entities still parse.
const MISPLACED_CREATED_AT = new Set(['subscription.activated.immediate.json', 'refund.speed_changed.json']);

const SCHEMAS = {
  subscription: EventSubscriptionEntity,
  payment: EventPaymentEntity,
  refund: EventRefundEntity,
  invoice: EventInvoiceEntity,
} as const;

const samples = allSamples('events').map((s) => ({ ...s, envelope: s.json as unknown as Envelope }));
const eventOf = (s: (typeof samples)[number]) => s.envelope.event ?? '';

describe("Razorpay's documented webhook events", () => {
  it.each(samples)('$file: every entity the processor reads passes its schema', ({ envelope }) => {
    for (const [name, schema] of Object.entries(SCHEMAS)) {
      const part = envelope.payload[name];
      if (part === undefined || typeof part === 'number') continue;
      const parsed = schema.safeParse(part.entity);
      expect(parsed.error?.issues ?? []).toEqual([]);
    }
  });

  it.each(samples.filter((s) => !MISPLACED_CREATED_AT.has(s.file)))(
    '$file: becomes the snapshot the state machine applies',
    (sample) => {
      const type = eventOf(sample);
      const result = snapshotFromEvent({ event_type: type, payload: sample.text });
      if (!result.ok) throw result.error;
      const snapshot = result.value;
      const { subscription, payment } = sample.envelope.payload as Record<string, { entity: { id: string } }>;
      if (type.startsWith('subscription.')) {
        expect(snapshot).toMatchObject({
          kind: 'subscription',
          subscription: { id: subscription!.entity.id },
          eventAt: new Date((sample.json.created_at as number) * 1000),
        });
        if (payment) expect(snapshot).toMatchObject({ payment: { id: payment.entity.id } });
      } else if (payment) {
        expect(snapshot).toMatchObject({ kind: 'payment', payment: { id: payment.entity.id } });
      } else {
        expect(snapshot).toBeNull();
      }
    },
  );

  it.each([...MISPLACED_CREATED_AT])('%s: refused as a bad envelope, never retried', (file) => {
    const sample = samples.find((s) => s.file === file)!;
    const result = snapshotFromEvent({ event_type: eventOf(sample), payload: sample.text });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      code: 'bad_request',
      message: 'event payload has no valid envelope entity',
    });
  });

  it('keeps the documented quirks as they are: a "1" for captured, [] for empty notes, no customer_id on pause', () => {
    const charged = samples.find((s) => s.file === 'subscription.charged.json')!;
    const result = snapshotFromEvent({ event_type: 'subscription.charged', payload: charged.text });
    expect(result.ok && result.value).toMatchObject({ payment: { captured: '1', amount: 100_000 } });
    const paused = samples.find((s) => s.file === 'subscription.paused.json')!;
    const parsed = EventSubscriptionEntity.parse(
      (paused.envelope.payload.subscription as { entity: Record<string, unknown> }).entity,
    );
    expect(parsed.notes).toEqual([]);
    const { customer_id: _omitted, ...withoutCustomer } = parsed;
    expect(EventSubscriptionEntity.parse(withoutCustomer)).not.toHaveProperty('customer_id');
  });

  it('covers every event type the processor handles that the docs publish a sample for', () => {
    const documented = new Set(samples.map(eventOf));
    expect(HANDLED_EVENT_TYPES.filter((t) => !documented.has(t))).toEqual([]);
    expect([...documented].filter((t) => !isHandledEventType(t))).toEqual(['refund.speed_changed']);
  });
});
