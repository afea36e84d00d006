import type { Context } from 'hono';
import { type ApiResult, badRequest, failure, success } from './api-error.ts';

type Bag = Record<string, unknown>;

/** Reads a request body as Razorpay does: JSON, form-encoded (with `a[b]` nesting) or empty. */
export async function readBody(c: Context): Promise<ApiResult<Bag>> {
  const text = await c.req.text();
  if (text.trim() === '') return success({});
  const type = c.req.header('content-type') ?? '';
  if (type.includes('json') || (!type.includes('form') && /^\s*[{[]/.test(text))) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return success(parsed as Bag);
    } catch {
      // Falls through to the same error the API gives for an unreadable body.
    }
    return failure(badRequest('The request body is not a valid JSON object.'));
  }
  return success(parseForm(text));
}

/** Parses `a=1&notes[k]=v&addons[0][item][name]=x` into nested objects and arrays. */
export function parseForm(text: string): Bag {
  const root: Bag = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const parts = rawKey.split('[').map((p, i) => (i === 0 ? p : p.replace(/]$/, '')));
    let node: Bag = root;
    parts.forEach((part, i) => {
      const key = part === '' ? String(Object.keys(node).length) : part;
      if (i === parts.length - 1) node[key] = value;
      else {
        const next = node[key];
        node[key] = next && typeof next === 'object' ? next : {};
        node = node[key] as Bag;
      }
    });
  }
  return arraysFromIndexedObjects(root) as Bag;
}

function arraysFromIndexedObjects(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value as Bag).map(([k, v]) => [k, arraysFromIndexedObjects(v)] as const);
  const indexed = entries.length > 0 && entries.every(([k], i) => k === String(i));
  return indexed ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

/** The query string as a flat object (lists take count, skip, from, to and filters). */
export function readQuery(c: Context): Bag {
  return { ...c.req.query() };
}
