import type { Child } from 'hono/jsx';
import type { z } from 'zod';

/** Errors of a form by field name; `form` is the form's own (shown above it). */
export type FieldErrors = Partial<Record<string, string>>;

/** One labelled input with its error beside it (`#<name>-error`, tied by aria-describedby). */
export function Field(props: {
  name: string;
  label: string;
  type: 'text' | 'email' | 'password';
  autocomplete: string;
  value?: string | undefined;
  error?: string | undefined;
  hint?: string | undefined;
  minlength?: number;
  maxlength?: number;
}) {
  const described = [props.error ? `${props.name}-error` : '', props.hint ? `${props.name}-hint` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field">
      <label for={props.name}>{props.label}</label>
      <input
        id={props.name}
        name={props.name}
        type={props.type}
        autocomplete={props.autocomplete}
        value={props.type === 'password' ? undefined : props.value}
        required
        minlength={props.minlength}
        maxlength={props.maxlength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {props.hint ? (
        <p class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${props.name}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A form-level error (a disabled account, a used link), read out when the page loads. */
export function FormError(props: { text?: string | undefined; children?: Child }) {
  if (!props.text) return null;
  return (
    <div id="form-error" class="notice error" role="alert">
      <p>{props.text}</p>
      {props.children}
    </div>
  );
}

/** Checks a submitted form: its values, or every field's first problem by field name. */
export function checkFields<S extends z.ZodType>(
  schema: S,
  body: unknown,
): { ok: true; value: z.output<S> } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? 'form');
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}
