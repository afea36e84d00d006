import { z } from 'zod';
import type { ServiceContext } from '../../../services/context.ts';
import { getFlags } from '../../../services/flags/get-flags.ts';
import { setFlag } from '../../../services/flags/set-flag.ts';
import type { RouteModule } from '../app.ts';
import { route } from '../routing.ts';
import { requireAdmin } from '../session.ts';
import { jsonBody } from '../validate.ts';

// Shapes only; setFlag says what is wrong with a value (unknown state, missing reason, bad duration).
const FlagBody = z.strictObject({
  state: z.string(),
  reason: z.string().optional(),
  message: z.string().nullable().optional(),
  for: z.string().optional(),
});

/** GET /api/admin/flags and PUT /api/admin/flags/:name, for an admin session or ADMIN_TOKEN. */
export function adminFlagsRoutes(ctx: ServiceContext): RouteModule {
  return (app) => {
    route(app, '/api/admin/flags', {
      GET: async (c) => {
        requireAdmin(c);
        c.header('Cache-Control', 'no-store');
        return c.json({ flags: (await getFlags({ ctx })).flags });
      },
    });
    route(app, '/api/admin/flags/:name', {
      PUT: async (c) => {
        const caller = requireAdmin(c);
        const body = await jsonBody(c, FlagBody);
        const name = c.req.param('name') ?? '';
        return c.json(await setFlag({ ctx, input: { ...body, name, actor: caller.email } }));
      },
    });
  };
}
