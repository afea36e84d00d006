import type { Context } from 'hono';
import { z } from 'zod';
import { FIELD_LIMITS } from '../../../domain/fields.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { handleAuthRequest } from '../../../services/users/handle-auth-request.ts';
import type { RouteModule } from '../app.ts';
import { clientAddress } from '../client-ip.ts';
import type { AppEnv } from '../env.ts';
import { parseJsonText, validated } from '../validate.ts';

const text = (max: number) => z.string().max(max);

// Every free-text field better-auth's endpoints accept, capped; unknown string fields get the generic cap.
const AuthBody = z
  .object({
    name: text(FIELD_LIMITS.name).optional(),
    email: text(FIELD_LIMITS.email).optional(),
    image: text(FIELD_LIMITS.image).nullish(),
    password: text(FIELD_LIMITS.password).optional(),
    currentPassword: text(FIELD_LIMITS.password).optional(),
    newPassword: text(FIELD_LIMITS.password).optional(),
    callbackURL: text(FIELD_LIMITS.url).optional(),
  })
  .catchall(
    z.unknown().refine((v) => typeof v !== 'string' || v.length <= FIELD_LIMITS.other, {
      message: `must be at most ${FIELD_LIMITS.other} characters`,
    }),
  );

/** The request better-auth gets: the body read once (within the body limit) and its fields checked. */
async function checkedRequest(c: Context<AppEnv>): Promise<Request> {
  const raw = c.req.raw;
  if (raw.method !== 'POST') return raw;
  const body = await c.req.text();
  if (/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
    const value = parseJsonText(body);
    if (value && typeof value === 'object' && !Array.isArray(value)) validated(AuthBody, value);
  }
  return new Request(raw.url, { method: raw.method, headers: raw.headers, body });
}

/**
 * better-auth's own routes under /api/auth (DESIGN §11): POST sign-up/email, sign-in/email,
 * sign-out, GET get-session, and the session and password endpoints a signed-in user needs.
 */
export function authRoutes(ctx: ServiceContext): RouteModule {
  return (app) => {
    app.on(['GET', 'POST'], '/api/auth/*', async (c) =>
      handleAuthRequest({ ctx, input: { request: await checkedRequest(c), clientIp: clientAddress(c) } }),
    );
  };
}
