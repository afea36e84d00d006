import { Hono } from 'hono';
import { z } from 'zod';
import { type ApiResult, failure, idNotFound, reply, success } from './api-error.ts';
import { readBody, readQuery } from './body.ts';
import { listWith } from './collection.ts';
import { type Ctx, toNotes } from './context.ts';
import { newId } from './ids.ts';
import type { Order } from './types.ts';
import { amountSchema, boolish, currencySchema, notesSchema, validate } from './validate.ts';

const createOrderBody = z.strictObject({
  amount: amountSchema(),
  currency: currencySchema(),
  receipt: z.string().max(40, 'The receipt may not be greater than 40 characters.').optional(),
  notes: notesSchema().optional(),
  partial_payment: boolish().optional(),
  payment_capture: boolish().optional(),
});

/** Creates an order; `payment_capture: 0` leaves its payments authorised for a manual capture. */
export function createOrder(ctx: Ctx, input: unknown): ApiResult<Order> {
  const body = validate(createOrderBody, input);
  if (!body.ok) return body;
  const { amount, currency, receipt, notes, payment_capture } = body.value;
  const order: Order = {
    id: newId('order'),
    entity: 'order',
    amount,
    amount_paid: 0,
    amount_due: amount,
    currency,
    receipt: receipt ?? null,
    offer_id: null,
    status: 'created',
    attempts: 0,
    notes: toNotes(notes),
    created_at: ctx.clock.now(),
  };
  ctx.state.orders.set(order.id, order);
  if (payment_capture === false) ctx.state.orderManualCapture.set(order.id, true);
  ctx.changed();
  return success(order);
}

/** Fetches an order by id. */
export function fetchOrder(ctx: Ctx, id: string): ApiResult<Order> {
  const order = ctx.state.orders.get(id);
  return order ? success(order) : failure(idNotFound());
}

/** Records a captured payment on its order: paid in full, and `order.paid` follows. */
export function markOrderPaid(order: Order, amount: number): void {
  order.amount_paid = Math.min(order.amount, order.amount_paid + amount);
  order.amount_due = order.amount - order.amount_paid;
  order.status = 'paid';
}

/** Routes for /v1/orders. */
export function orderRoutes(ctx: Ctx): Hono {
  const app = new Hono();
  app.post('/', async (c) => {
    const body = await readBody(c);
    return reply(c, body.ok ? createOrder(ctx, body.value) : body);
  });
  app.get('/', (c) =>
    reply(
      c,
      listWith(readQuery(c), {}, () => ctx.state.orders.values()),
    ),
  );
  app.get('/:id', (c) => reply(c, fetchOrder(ctx, c.req.param('id'))));
  app.get('/:id/payments', (c) => {
    const id = c.req.param('id');
    if (!ctx.state.orders.has(id)) return reply(c, failure(idNotFound()));
    const payments = [...ctx.state.payments.values()].filter((p) => p.order_id === id);
    return reply(c, success({ entity: 'collection', count: payments.length, items: payments.reverse() }));
  });
  return app;
}
