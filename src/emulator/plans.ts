import { Hono } from 'hono';
import { z } from 'zod';
import { type ApiResult, badRequest, failure, idNotFound, reply, success } from './api-error.ts';
import { readBody, readQuery } from './body.ts';
import { listWith } from './collection.ts';
import { type Ctx, toNotes } from './context.ts';
import { newId } from './ids.ts';
import type { Plan } from './types.ts';
import { amountSchema, currencySchema, intish, notesSchema, validate } from './validate.ts';

const createPlanBody = z.strictObject({
  period: z.enum(['daily', 'weekly', 'monthly', 'quarterly', 'yearly']),
  interval: intish().pipe(z.number().min(1)),
  item: z.strictObject({
    name: z.string().min(1),
    amount: amountSchema(),
    currency: currencySchema(),
    description: z.string().optional(),
  }),
  notes: notesSchema().optional(),
});

/** Creates a plan; daily plans need an interval of at least 7, as on Razorpay. */
export function createPlan(ctx: Ctx, input: unknown): ApiResult<Plan> {
  const body = validate(createPlanBody, input);
  if (!body.ok) return body;
  const { period, interval, item, notes } = body.value;
  if (period === 'daily' && interval < 7) {
    return failure(badRequest('The interval must be at least 7 for daily plans.', 'interval'));
  }
  const now = ctx.clock.now();
  const plan: Plan = {
    id: newId('plan'),
    entity: 'plan',
    interval,
    period,
    item: {
      id: newId('item'),
      active: true,
      name: item.name,
      description: item.description ?? null,
      amount: item.amount,
      unit_amount: item.amount,
      currency: item.currency,
      type: 'plan',
      unit: null,
      tax_inclusive: false,
      hsn_code: null,
      sac_code: null,
      tax_rate: null,
      tax_id: null,
      tax_group_id: null,
      created_at: now,
      updated_at: now,
    },
    notes: toNotes(notes),
    created_at: now,
  };
  ctx.state.plans.set(plan.id, plan);
  ctx.changed();
  return success(plan);
}

/** Fetches a plan by id. */
export function fetchPlan(ctx: Ctx, id: string): ApiResult<Plan> {
  const plan = ctx.state.plans.get(id);
  return plan ? success(plan) : failure(idNotFound());
}

/** Routes for /v1/plans. */
export function planRoutes(ctx: Ctx): Hono {
  const app = new Hono();
  app.post('/', async (c) => {
    const body = await readBody(c);
    return reply(c, body.ok ? createPlan(ctx, body.value) : body);
  });
  app.get('/', (c) =>
    reply(
      c,
      listWith(readQuery(c), {}, () => ctx.state.plans.values()),
    ),
  );
  app.get('/:id', (c) => reply(c, fetchPlan(ctx, c.req.param('id'))));
  return app;
}
