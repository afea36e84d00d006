import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { findNul, jsonDepth, MAX_JSON_DEPTH } from '../../domain/fields.ts';
import type { AppEnv } from './env.ts';

const PRICE_FIELDS = new Set([
  'amount',
  'price',
  'plan_amount',
  'planAmount',
  'pricePaise',
  'plan_id',
  'planId',
]);

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const priced = issue.keys.filter((k) => PRICE_FIELDS.has(k));
    if (priced.length > 0) return `${priced.join(', ')}: not accepted; the server sets the plan and price`;
    return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
  }
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * Parses JSON text a client sent: too deep a nesting and a NUL character in any string are a 400
 * naming the problem (PostgreSQL cannot store a NUL, and deep nesting costs stack).
 */
export function parseJsonText(text: string): unknown {
  if (text.trim() === '') return {};
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new AppError('bad_request', `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'the body is not valid JSON');
  }
  const nul = findNul(value);
  if (nul) throw new AppError('bad_request', `${nul}: must not contain a NUL character (\\u0000)`);
  return value;
}

/** Validates a value against a schema; anything else is a 400 naming the first problem. */
export function validated<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('bad_request', describeIssue(parsed.error.issues[0]!));
  return parsed.data;
}

/** Reads a JSON body (already capped in size by the body limit) and validates it. */
export async function jsonBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.output<S>> {
  return validated(schema, parseJsonText(await c.req.text()));
}

/** Validates the query string (strings in, coerced by the schema). */
export function queryOf<S extends z.ZodType>(c: Context<AppEnv>, schema: S): z.output<S> {
  return validated(schema, c.req.query());
}

/** Paging of list routes: `?limit` (1–100, default 20) and `?offset`. */
export const Page = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
