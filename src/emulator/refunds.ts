import { Hono } from 'hono';
import { z } from 'zod';
import { type ApiResult, badRequest, failure, idNotFound, plainError, reply, success } from './api-error.ts';
import { readBody, readQuery } from './body.ts';
import { listWith } from './collection.ts';
import { type Ctx, toNotes } from './context.ts';
import { newId } from './ids.ts';
import type { Refund } from './types.ts';
import { amountSchema, notesSchema, validate } from './validate.ts';

const refundBody = z.strictObject({
  amount: amountSchema().optional(),
  speed: z.enum(['normal', 'optimum']).optional(),
  notes: notesSchema().optional(),
  receipt: z.string().max(40, 'The receipt may not be greater than 40 characters.').optional(),
});

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{10,}$/;

/** Refunds a captured payment (all of what remains when `amount` is left out), honouring `X-Refund-Idempotency`. */
export function createRefund(ctx: Ctx, paymentId: string, input: unknown, key?: string): ApiResult<Refund> {
  const payment = ctx.state.payments.get(paymentId);
  if (!payment) return failure(idNotFound());
  const body = validate(refundBody, input);
  if (!body.ok) return body;
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    return failure(badRequest('The idempotency key is invalid.', 'X-Refund-Idempotency'));
  }
  const fingerprint = JSON.stringify([paymentId, body.value]);
  const previous = key === undefined ? undefined : ctx.state.refundKeys.get(key);
  if (previous) {
    if (previous.fingerprint !== fingerprint) {
      return failure(
        plainError(409, 'Different request with the same idempotency key has already been processed'),
      );
    }
    const refund = ctx.state.refunds.get(previous.refundId);
    if (refund) return success(refund);
  }
  if (payment.status === 'refunded')
    return failure(badRequest('The payment has been fully refunded already.'));
  if (payment.status !== 'captured') {
    return failure(
      badRequest('Only captured payments can be refunded.', 'payment_id', { payment_id: paymentId }),
    );
  }
  const refundable = payment.amount - payment.amount_refunded;
  const amount = body.value.amount ?? refundable;
  if (amount > refundable) {
    return failure(badRequest('The refund amount provided is greater than amount captured.', 'amount'));
  }
  const refund: Refund = {
    id: newId('refund'),
    entity: 'refund',
    amount,
    currency: payment.currency,
    payment_id: paymentId,
    notes: toNotes(body.value.notes),
    receipt: body.value.receipt ?? null,
    acquirer_data: { arn: null },
    created_at: ctx.clock.now(),
    batch_id: null,
    status: 'pending',
    speed_processed: 'normal',
    speed_requested: body.value.speed ?? 'normal',
  };
  ctx.state.refunds.set(refund.id, refund);
  if (key !== undefined) ctx.state.refundKeys.set(key, { fingerprint, refundId: refund.id });
  payment.amount_refunded += amount;
  payment.refund_status = payment.amount_refunded >= payment.amount ? 'full' : 'partial';
  if (payment.refund_status === 'full') payment.status = 'refunded';
  ctx.emit('refund.created', { refund, payment });
  const failures = ctx.state.refundFailures.get(paymentId) ?? 0;
  if (failures > 0) {
    // A failed refund returns the money: the payment is back where it was before the refund.
    ctx.state.refundFailures.set(paymentId, failures - 1);
    payment.amount_refunded -= amount;
    payment.refund_status =
      payment.amount_refunded === 0 ? null : payment.amount_refunded >= payment.amount ? 'full' : 'partial';
    if (payment.status === 'refunded' && payment.refund_status !== 'full') payment.status = 'captured';
    refund.status = 'failed';
    ctx.emit('refund.failed', { refund, payment });
  } else {
    // Test mode settles refunds at once; the created event still carries the pending snapshot.
    refund.status = 'processed';
    ctx.emit('refund.processed', { refund, payment });
  }
  ctx.changed();
  return success(refund);
}

/** Fetches a refund by id. */
export function fetchRefund(ctx: Ctx, id: string): ApiResult<Refund> {
  const refund = ctx.state.refunds.get(id);
  return refund ? success(refund) : failure(idNotFound());
}

/** Refund routes nested under /v1/payments/:id. */
export function refundRoutesForPayment(ctx: Ctx): Hono {
  const app = new Hono();
  app.post('/:id/refund', async (c) => {
    const body = await readBody(c);
    if (!body.ok) return reply(c, body);
    const key = c.req.header('x-refund-idempotency');
    return reply(c, createRefund(ctx, c.req.param('id'), body.value, key));
  });
  app.get('/:id/refunds', (c) => {
    const id = c.req.param('id');
    if (!ctx.state.payments.has(id)) return reply(c, failure(idNotFound()));
    return reply(
      c,
      listWith(readQuery(c), {}, () => [...ctx.state.refunds.values()].filter((r) => r.payment_id === id)),
    );
  });
  app.get('/:id/refunds/:refundId', (c) => {
    const refund = ctx.state.refunds.get(c.req.param('refundId'));
    const found = refund && refund.payment_id === c.req.param('id');
    return reply(c, found ? success(refund) : failure(idNotFound()));
  });
  return app;
}

/** Routes for /v1/refunds. */
export function refundRoutes(ctx: Ctx): Hono {
  const app = new Hono();
  app.get('/', (c) =>
    reply(
      c,
      listWith(readQuery(c), {}, () => ctx.state.refunds.values()),
    ),
  );
  app.get('/:id', (c) => reply(c, fetchRefund(ctx, c.req.param('id'))));
  return app;
}
