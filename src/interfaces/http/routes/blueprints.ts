import { z } from 'zod';
import { AppError } from '../../../domain/errors.ts';
import { BLUEPRINT_CONTENT_BYTES, FIELD_LIMITS } from '../../../domain/fields.ts';
import { isUuid } from '../../../domain/ids.ts';
import { createBlueprint } from '../../../services/blueprints/create-blueprint.ts';
import { deleteBlueprint } from '../../../services/blueprints/delete-blueprint.ts';
import { getBlueprint } from '../../../services/blueprints/get-blueprint.ts';
import { getUsage } from '../../../services/blueprints/get-usage.ts';
import { listBlueprints } from '../../../services/blueprints/list-blueprints.ts';
import { saveBlueprint } from '../../../services/blueprints/save-blueprint.ts';
import type { ServiceContext } from '../../../services/context.ts';
import type { RouteModule } from '../app.ts';
import { allowBodyUpTo } from '../body-limit.ts';
import { route } from '../routing.ts';
import { requireCaller } from '../session.ts';
import { jsonBody, Page, queryOf } from '../validate.ts';

// Room for the largest content plus its JSON escaping; larger bodies are a 413.
const BLUEPRINT_BODY_LIMIT = 512 * 1024;

const CreateBlueprintBody = z.strictObject({
  title: z.string().trim().min(1).max(FIELD_LIMITS.blueprintTitle),
  // Any JSON value the client built; null/absent is not a blueprint.
  content: z
    .json()
    .refine((v) => v !== null, 'required')
    .refine(
      (v) => Buffer.byteLength(JSON.stringify(v)) <= BLUEPRINT_CONTENT_BYTES,
      `must be at most ${BLUEPRINT_CONTENT_BYTES / 1024} KiB as JSON`,
    ),
});

/** A path id that is not a uuid cannot be a blueprint: 404 like any other missing one. */
function blueprintId(raw: string | undefined): string {
  if (raw === undefined || !isUuid(raw)) throw new AppError('not_found', 'no such blueprint');
  return raw;
}

/** Blueprints within the caller's quota, and the caller's usage; every route is own-rows-only. */
export function blueprintsRoutes(ctx: ServiceContext): RouteModule {
  return (app) => {
    allowBodyUpTo(app, '/api/blueprints', BLUEPRINT_BODY_LIMIT);
    route(app, '/api/blueprints', {
      GET: async (c) => {
        const caller = requireCaller(c);
        const page = queryOf(c, Page);
        return c.json(await listBlueprints({ ctx, input: { userId: caller.userId, ...page } }));
      },
      POST: async (c) => {
        const caller = requireCaller(c);
        const body = await jsonBody(c, CreateBlueprintBody);
        const blueprint = await createBlueprint({ ctx, input: { userId: caller.userId, ...body } });
        return c.json(blueprint, 201);
      },
    });
    route(app, '/api/blueprints/:id', {
      GET: async (c) => {
        const caller = requireCaller(c);
        const id = blueprintId(c.req.param('id'));
        return c.json(await getBlueprint({ ctx, input: { userId: caller.userId, id } }));
      },
      DELETE: async (c) => {
        const caller = requireCaller(c);
        const id = blueprintId(c.req.param('id'));
        return c.json(await deleteBlueprint({ ctx, input: { userId: caller.userId, id } }));
      },
    });
    route(app, '/api/blueprints/:id/save', {
      POST: async (c) => {
        const caller = requireCaller(c);
        const id = blueprintId(c.req.param('id'));
        return c.json(await saveBlueprint({ ctx, input: { userId: caller.userId, id } }));
      },
    });
    route(app, '/api/usage', {
      GET: async (c) => {
        const caller = requireCaller(c);
        c.header('Cache-Control', 'no-store');
        return c.json(await getUsage({ ctx, input: { userId: caller.userId } }));
      },
    });
  };
}
