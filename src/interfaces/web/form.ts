import type { Context } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { validated } from '../http/validate.ts';

/** A submitted HTML form (urlencoded or multipart), its fields checked by `schema` (400 naming the field). */
export async function readForm<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.infer<T>> {
  const body = await c.req.parseBody({ all: true });
  return validated(schema, body);
}

/** After a form post: 303 to `path`, with `?done=<key>` naming the confirmation the page shows. */
export function seeOther(c: Context<AppEnv>, path: string, done?: string) {
  if (!done) return c.redirect(path, 303);
  const url = new URL(path, 'http://x');
  url.searchParams.set('done', done);
  return c.redirect(`${url.pathname}${url.search}`, 303);
}

/** The page's confirmation for `?done=<key>`; only keys the page knows are shown (nothing is reflected). */
export function doneNotice(
  c: Context<AppEnv>,
  messages: Record<string, string>,
): { kind: 'ok'; text: string } | null {
  const key = c.req.query('done');
  const text = key === undefined ? undefined : messages[key];
  return text === undefined ? null : { kind: 'ok', text };
}

/** A same-site path to return to after sign-in (`?next=`), else `fallback`: never another origin. */
export function safeNext(value: string | undefined, fallback: string): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}
