import { z } from 'zod';
import type { ApiResult } from './api-error.ts';
import { intish, validate } from './validate.ts';

/** Razorpay's collection envelope; `count` is the number of items returned, not the total. */
export type Collection<T> = { entity: 'collection'; count: number; items: T[] };

const paging = {
  count: intish().pipe(z.number().min(1).max(100)).optional(),
  skip: intish().pipe(z.number().min(0)).optional(),
  from: intish().pipe(z.number().min(0)).optional(),
  to: intish().pipe(z.number().min(0)).optional(),
  'expand[]': z.unknown().optional(),
};

/** A strict query schema: paging plus the filters one list route accepts. */
export function listQuery<F extends z.ZodRawShape>(filters: F) {
  return z.strictObject({ ...paging, ...filters });
}

type Paging = {
  count?: number | undefined;
  skip?: number | undefined;
  from?: number | undefined;
  to?: number | undefined;
};

/** Applies from/to (created_at, inclusive), newest first, then skip and count (default 10). */
export function paginate<T extends { created_at: number }>(items: Iterable<T>, q: Paging): Collection<T> {
  const all = [...items].filter(
    (i) => (q.from === undefined || i.created_at >= q.from) && (q.to === undefined || i.created_at <= q.to),
  );
  all.reverse();
  const skip = q.skip ?? 0;
  const page = all.slice(skip, skip + (q.count ?? 10));
  return { entity: 'collection', count: page.length, items: page };
}

/** Validates a list query and returns the page of `items` it selects. */
export function listWith<T extends { created_at: number }, F extends z.ZodRawShape>(
  query: unknown,
  filters: F,
  items: (q: z.output<ReturnType<typeof listQuery<F>>>) => Iterable<T>,
): ApiResult<Collection<T>> {
  const parsed = validate(listQuery(filters), query);
  if (!parsed.ok) return parsed;
  return { ok: true, value: paginate(items(parsed.value), parsed.value as Paging) };
}
