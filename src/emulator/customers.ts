import { Hono } from 'hono';
import { z } from 'zod';
import { type ApiResult, badRequest, failure, idNotFound, reply, success } from './api-error.ts';
import { readBody, readQuery } from './body.ts';
import { listWith } from './collection.ts';
import { type Ctx, toNotes } from './context.ts';
import { newId } from './ids.ts';
import type { Customer } from './types.ts';
import { boolish, notesSchema, validate } from './validate.ts';

const createCustomerBody = z.strictObject({
  name: z.string().max(50, 'The name may not be greater than 50 characters.').optional(),
  email: z.email('The email must be a valid email address.').optional(),
  contact: z
    .string()
    .regex(/^\+?[0-9]{8,15}$/, 'The contact format is invalid.')
    .optional(),
  gstin: z.string().optional(),
  fail_existing: boolish().optional(),
  notes: notesSchema().optional(),
});

/** Creates a customer; with `fail_existing: 0` an existing one with the same email and contact is returned. */
export function createCustomer(ctx: Ctx, input: unknown): ApiResult<Customer> {
  const body = validate(createCustomerBody, input);
  if (!body.ok) return body;
  const { name, email, contact, gstin, fail_existing, notes } = body.value;
  const existing = [...ctx.state.customers.values()].find(
    (c) => (email ?? null) === c.email && (contact ?? null) === c.contact && (email || contact),
  );
  if (existing) {
    if (fail_existing === false) return success(existing);
    return failure(badRequest('Customer already exists for the merchant.'));
  }
  const customer: Customer = {
    id: newId('customer'),
    entity: 'customer',
    name: name ?? null,
    email: email ?? null,
    contact: contact ?? null,
    gstin: gstin ?? null,
    notes: toNotes(notes),
    created_at: ctx.clock.now(),
  };
  ctx.state.customers.set(customer.id, customer);
  ctx.changed();
  return success(customer);
}

/** Finds or makes the customer a checkout payment belongs to. */
export function customerForCheckout(ctx: Ctx, email: string, contact: string): Customer {
  const found = [...ctx.state.customers.values()].find((c) => c.email === email && c.contact === contact);
  if (found) return found;
  const created = createCustomer(ctx, { email, contact, name: 'Gaurav Kumar' });
  if (!created.ok) throw new Error('checkout customer could not be created');
  return created.value;
}

/** Routes for /v1/customers. */
export function customerRoutes(ctx: Ctx): Hono {
  const app = new Hono();
  app.post('/', async (c) => {
    const body = await readBody(c);
    return reply(c, body.ok ? createCustomer(ctx, body.value) : body);
  });
  app.get('/', (c) =>
    reply(
      c,
      listWith(readQuery(c), {}, () => ctx.state.customers.values()),
    ),
  );
  app.get('/:id', (c) => {
    const customer = ctx.state.customers.get(c.req.param('id'));
    return reply(c, customer ? success(customer) : failure(idNotFound()));
  });
  return app;
}
