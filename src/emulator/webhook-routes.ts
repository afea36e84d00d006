import { Hono } from 'hono';
import { z } from 'zod';
import { type ApiResult, badRequest, failure, idNotFound, reply, success } from './api-error.ts';
import { readBody, readQuery } from './body.ts';
import type { Ctx } from './context.ts';
import type { Dispatcher } from './dispatcher.ts';
import { base62Id } from './ids.ts';
import type { EventRecord, WebhookEndpoint } from './state.ts';
import { boolish, intish, validate } from './validate.ts';

const url = z.string().regex(/^https?:\/\/\S+$/, 'The url must be an http(s) URL.');
const registerBody = z.strictObject({
  url,
  secret: z.string().min(1),
  events: z.array(z.string()).optional(),
});
const patchBody = z.strictObject({
  url: url.optional(),
  secret: z.string().min(1).optional(),
  events: z.array(z.string()).nullable().optional(),
  active: boolish().optional(),
});
const replayBody = z.strictObject({
  event_id: z.string().optional(),
  event_ids: z.array(z.string()).optional(),
  from: intish().optional(),
  to: intish().optional(),
  webhook_id: z.string().optional(),
  /** A window replay sends only events some endpoint has not acknowledged, unless this is set. */
  include_delivered: boolish().optional(),
});

const rotateSecretBody = z.strictObject({ from: z.string().min(1), to: z.string().min(1) });

/**
 * Gives every endpoint that signs with `from` the secret `to`, all at once (a compare-and-set, so a
 * rotation that fails later can be undone by the reverse call); answers the ids, never a secret.
 */
export function rotateWebhookSecret(ctx: Ctx, input: unknown): ApiResult<{ updated: string[] }> {
  const body = validate(rotateSecretBody, input);
  if (!body.ok) return body;
  const matching = [...ctx.state.webhooks.values()].filter((e) => e.secret === body.value.from);
  for (const endpoint of matching) endpoint.secret = body.value.to;
  if (matching.length > 0) ctx.changed();
  return success({ updated: matching.map((e) => e.id) });
}

/** Registers a webhook endpoint (URL, secret, optional event list). */
export function registerWebhook(ctx: Ctx, input: unknown): ApiResult<WebhookEndpoint> {
  const body = validate(registerBody, input);
  if (!body.ok) return body;
  const endpoint: WebhookEndpoint = {
    id: `wh_${base62Id()}`,
    url: body.value.url,
    secret: body.value.secret,
    events: body.value.events ?? null,
    active: true,
    disabled_at: null,
    created_at: ctx.clock.now(),
  };
  ctx.state.webhooks.set(endpoint.id, endpoint);
  ctx.changed();
  return success(endpoint);
}

/** Picks the events a replay request names: by id, or by created_at window. */
export function eventsToReplay(
  ctx: Ctx,
  input: unknown,
): ApiResult<{ events: EventRecord[]; webhookIds: string[] | undefined }> {
  const body = validate(replayBody, input);
  if (!body.ok) return body;
  const { event_id, event_ids, from, to, include_delivered, webhook_id } = body.value;
  const ids = [...(event_ids ?? []), ...(event_id ? [event_id] : [])];
  let events: EventRecord[];
  if (ids.length > 0) {
    events = [];
    for (const id of ids) {
      const event = ctx.state.events.get(id);
      if (!event) return failure(badRequest('The id provided does not exist', 'event_id'));
      events.push(event);
    }
  } else if (from !== undefined || to !== undefined) {
    const delivered = new Set(
      [...ctx.state.deliveries.values()].filter((d) => d.status === 'delivered').map((d) => d.event_id),
    );
    events = [...ctx.state.events.values()].filter(
      (e) =>
        (from === undefined || e.created_at >= from) &&
        (to === undefined || e.created_at <= to) &&
        (include_delivered === true || !delivered.has(e.id)),
    );
  } else return failure(badRequest('Give event_id, event_ids, or a from/to window.', 'event_id'));
  return success({ events, webhookIds: webhook_id ? [webhook_id] : undefined });
}

/** Control routes under /_emulator/webhooks: endpoints, delivery log, replay, secret rotation. */
export function webhookRoutes(ctx: Ctx, dispatcher: Dispatcher): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json({ entity: 'collection', items: [...ctx.state.webhooks.values()] }));
  app.post('/', async (c) => {
    const body = await readBody(c);
    return reply(c, body.ok ? registerWebhook(ctx, body.value) : body);
  });
  app.get('/deliveries', (c) => {
    const q = readQuery(c);
    const items = [...ctx.state.deliveries.values()].filter(
      (d) =>
        (!q.event_id || d.event_id === q.event_id) &&
        (!q.webhook_id || d.webhook_id === q.webhook_id) &&
        (!q.status || d.status === q.status),
    );
    const shown = items.map(({ secret: _secret, ...rest }) => rest);
    return c.json({ entity: 'collection', count: shown.length, items: shown });
  });
  app.post('/rotate-secret', async (c) => {
    const body = await readBody(c);
    return reply(c, body.ok ? rotateWebhookSecret(ctx, body.value) : body);
  });
  app.post('/replay', async (c) => {
    const body = await readBody(c);
    const picked = body.ok ? eventsToReplay(ctx, body.value) : body;
    if (!picked.ok) return reply(c, picked);
    const deliveries = dispatcher.replay(picked.value.events, picked.value.webhookIds);
    ctx.changed();
    return c.json({ replayed: picked.value.events.map((e) => e.id), deliveries: deliveries.length });
  });
  app.patch('/:id', async (c) => {
    const endpoint = ctx.state.webhooks.get(c.req.param('id'));
    if (!endpoint) return reply(c, failure(idNotFound()));
    const body = await readBody(c);
    const patch = body.ok ? validate(patchBody, body.value) : body;
    if (!patch.ok) return reply(c, patch);
    const { active, ...rest } = patch.value;
    Object.assign(endpoint, rest);
    if (active !== undefined) {
      endpoint.active = active;
      endpoint.disabled_at = active ? null : ctx.clock.now();
    }
    ctx.changed();
    return c.json(endpoint);
  });
  app.delete('/:id', (c) => {
    const removed = ctx.state.webhooks.delete(c.req.param('id'));
    ctx.changed();
    return removed ? c.json({ deleted: true }) : reply(c, failure(idNotFound()));
  });
  return app;
}
