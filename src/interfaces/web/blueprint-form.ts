import { z } from 'zod';
import { BLUEPRINT_CONTENT_BYTES, FIELD_LIMITS } from '../../domain/fields.ts';
import type { CreateFormState } from './blueprint-list-page.tsx';

const text = (name: string) => z.string({ error: `${name}: required` });
const noNul = (v: string) => !v.includes('\u0000');
const CreateBody = z.object({
  title: text('title')
    .trim()
    .min(1, 'title: required')
    .max(FIELD_LIMITS.blueprintTitle, `title: must be at most ${FIELD_LIMITS.blueprintTitle} characters`)
    .refine(noNul, 'title: must not contain a NUL character'),
  content: text('content')
    .refine((v) => v.trim() !== '', 'content: required')
    .refine(
      (v) => Buffer.byteLength(JSON.stringify(v)) <= BLUEPRINT_CONTENT_BYTES,
      `content: must be at most ${BLUEPRINT_CONTENT_BYTES / 1024} KiB`,
    )
    .refine(noNul, 'content: must not contain a NUL character'),
});

/**
 * The create form's fields checked like the API's (title 1–200 characters, content at most
 * 256 KiB as JSON, no NUL); a refusal carries each field's error and the values to show again.
 */
export function readCreateForm(
  body: Record<string, unknown>,
):
  | { ok: true; value: { title: string; content: string } }
  | { ok: false; state: CreateFormState; message: string } {
  const parsed = CreateBody.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const values = {
    title: typeof body.title === 'string' ? body.title : '',
    content: typeof body.content === 'string' ? body.content : '',
  };
  const errors: CreateFormState['errors'] = {};
  for (const issue of parsed.error.issues)
    errors[issue.path[0] === 'title' ? 'title' : 'content'] ??= issue.message;
  return {
    ok: false,
    state: { values, errors },
    message: parsed.error.issues[0]?.message ?? 'the form is not valid',
  };
}
