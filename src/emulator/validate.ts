import { z } from 'zod';
import { type ApiResult, badRequest, failure, success } from './api-error.ts';

const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized)/;

/** Integers, also sent as numeric strings by form bodies and query strings. */
export const intish = () =>
  z.preprocess((v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v), z.number().int());

/** Booleans as Razorpay accepts them: true/false, 1/0, "1"/"0", "true"/"false". */
export const boolish = () =>
  z.preprocess((v) => {
    if (v === 1 || v === '1' || v === 'true') return true;
    if (v === 0 || v === '0' || v === 'false') return false;
    return v;
  }, z.boolean());

/** Notes: at most 15 keys, values of at most 256 characters; `[]` counts as empty. */
export const notesSchema = () =>
  z.preprocess(
    (v) => (Array.isArray(v) && v.length === 0 ? {} : v),
    z
      .record(z.string(), z.union([z.string(), z.number()]))
      .refine(
        (n) => Object.keys(n).length <= 15,
        'Number of fields in notes should be less than or equal to 15',
      )
      .refine(
        (n) => Object.values(n).every((v) => String(v).length <= 256),
        'Notes value length should be less than or equal to 256',
      ),
  );

// The emulated account is domestic: Razorpay accepts other currencies only once international
// payments are activated, and otherwise answers "Currency is not supported" (razorpay-php#95).
const SUPPORTED_CURRENCIES = new Set(['INR']);

/** An ISO currency code the account may charge in. */
export const currencySchema = () =>
  z
    .string()
    .regex(/^[A-Z]{3}$/, 'The currency is invalid.')
    .refine((code) => SUPPORTED_CURRENCIES.has(code), 'Currency is not supported');

/** Amounts in paise: an integer of at least 100 (INR 1.00). */
export const amountSchema = () => intish().pipe(z.number().min(100, 'The amount must be at least INR 1.00'));

function describe(issue: z.core.$ZodIssue, input: unknown): { description: string; field: string } {
  const field = String(issue.path.at(-1) ?? '');
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.length ? `${issue.path.join('.')}.` : '';
    const keys = issue.keys.map((k) => `${prefix}${k}`);
    return {
      description: `${keys.join(', ')} is/are not required and should not be sent`,
      field: keys[0] ?? '',
    };
  }
  if (!DEFAULT_MESSAGE.test(issue.message)) return { description: issue.message, field };
  if (issue.code === 'invalid_type') {
    if (valueAt(input, issue.path) === undefined)
      return { description: `The ${field} field is required.`, field };
    const integer = issue.expected === 'number' || issue.expected === 'int';
    const expected = integer ? 'an integer' : `a ${issue.expected}`;
    if (issue.expected === 'boolean')
      return { description: `The ${field} field must be true or false.`, field };
    return { description: `The ${field} must be ${expected}.`, field };
  }
  if (issue.code === 'invalid_value') return { description: `The selected ${field} is invalid.`, field };
  if (issue.code === 'too_small')
    return { description: `The ${field} must be at least ${issue.minimum}.`, field };
  if (issue.code === 'too_big') {
    return { description: `The ${field} may not be greater than ${issue.maximum}.`, field };
  }
  return { description: `The ${field} is invalid.`, field };
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const key of path) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Validates input against a zod schema and turns the first issue into Razorpay's 400. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): ApiResult<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return success(parsed.data);
  const issues = [...parsed.error.issues].sort((a, b) => rank(a, input) - rank(b, input));
  const { description, field } = describe(issues[0] as z.core.$ZodIssue, input);
  return failure(badRequest(description, field || undefined));
}

// Razorpay reports unexpected fields first, then missing ones, then malformed ones.
function rank(issue: z.core.$ZodIssue, input: unknown): number {
  if (issue.code === 'unrecognized_keys') return 0;
  if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) return 1;
  return 2;
}
