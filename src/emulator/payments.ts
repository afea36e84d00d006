import { Hono } from 'hono';
import { z } from 'zod';
import { type ApiResult, badRequest, failure, idNotFound, reply, success } from './api-error.ts';
import { readBody, readQuery } from './body.ts';
import { listWith } from './collection.ts';
import type { Ctx } from './context.ts';
import { markOrderPaid } from './orders.ts';
import { markCaptured } from './payment-factory.ts';
import { refundRoutesForPayment } from './refunds.ts';
import type { Payment } from './types.ts';
import { currencySchema, intish, validate } from './validate.ts';

const captureBody = z.strictObject({
  amount: intish(),
  currency: currencySchema(),
});

/** Fetches a payment by id. */
export function fetchPayment(ctx: Ctx, id: string): ApiResult<Payment> {
  const payment = ctx.state.payments.get(id);
  return payment ? success(payment) : failure(idNotFound());
}

/** Captures an authorised payment and emits `payment.captured`, then `order.paid` for an order payment. */
export function settleCapture(ctx: Ctx, payment: Payment): void {
  markCaptured(payment);
  ctx.emit('payment.captured', { payment });
  const order = payment.order_id ? ctx.state.orders.get(payment.order_id) : undefined;
  if (order && !payment.invoice_id) {
    markOrderPaid(order, payment.amount);
    ctx.emit('order.paid', { payment, order });
  }
  ctx.changed();
}

/** The capture API: only an authorised payment, only for exactly its amount and currency. */
export function capturePayment(ctx: Ctx, id: string, input: unknown): ApiResult<Payment> {
  const payment = ctx.state.payments.get(id);
  if (!payment) return failure(idNotFound());
  const body = validate(captureBody, input);
  if (!body.ok) return body;
  if (payment.status === 'captured' || payment.status === 'refunded') {
    return failure(badRequest('This payment has already been captured', undefined, { payment_id: id }));
  }
  if (payment.status !== 'authorized') {
    return failure(
      badRequest('Only payments which have been authorized and not yet captured can be captured', undefined, {
        payment_id: id,
      }),
    );
  }
  if (body.value.amount !== payment.amount) {
    return failure(badRequest('Capture amount must be equal to the amount authorized', 'amount'));
  }
  if (body.value.currency !== payment.currency) {
    return failure(badRequest('Currency should be same as payment currency', 'currency'));
  }
  settleCapture(ctx, payment);
  return success(payment);
}

/** Routes for /v1/payments, including the refund routes nested under a payment. */
export function paymentRoutes(ctx: Ctx): Hono {
  const app = new Hono();
  app.get('/', (c) =>
    reply(
      c,
      listWith(readQuery(c), {}, () => ctx.state.payments.values()),
    ),
  );
  app.get('/:id', (c) => reply(c, fetchPayment(ctx, c.req.param('id'))));
  app.post('/:id/capture', async (c) => {
    const body = await readBody(c);
    return reply(c, body.ok ? capturePayment(ctx, c.req.param('id'), body.value) : body);
  });
  app.route('/', refundRoutesForPayment(ctx));
  return app;
}
