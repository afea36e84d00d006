import { Hono } from 'hono';
import { z } from 'zod';
import { failure, idNotFound, reply, success } from './api-error.ts';
import { readQuery } from './body.ts';
import { listWith } from './collection.ts';
import type { Ctx } from './context.ts';

/** Routes for /v1/invoices: list (by subscription, customer or payment) and fetch. */
export function invoiceRoutes(ctx: Ctx): Hono {
  const app = new Hono();
  const filters = {
    subscription_id: z.string().optional(),
    customer_id: z.string().optional(),
    payment_id: z.string().optional(),
    type: z.string().optional(),
  };
  app.get('/', (c) =>
    reply(
      c,
      listWith(readQuery(c), filters, (q) =>
        [...ctx.state.invoices.values()].filter(
          (i) =>
            (q.subscription_id === undefined || i.subscription_id === q.subscription_id) &&
            (q.customer_id === undefined || i.customer_id === q.customer_id) &&
            (q.payment_id === undefined || i.payment_id === q.payment_id),
        ),
      ),
    ),
  );
  app.get('/:id', (c) => {
    const invoice = ctx.state.invoices.get(c.req.param('id'));
    return reply(c, invoice ? success(invoice) : failure(idNotFound()));
  });
  return app;
}
