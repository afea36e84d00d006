import { BLUEPRINT_CONTENT_BYTES, FIELD_LIMITS } from '../../domain/fields.ts';
import type { FlagsView } from '../../domain/flags.ts';
import type { BlueprintView } from '../../services/blueprints/blueprint-view.ts';
import type { Usage } from '../../services/blueprints/get-usage.ts';
import type { Caller } from '../http/env.ts';
import { DeleteBlueprintForm } from './blueprint-delete-form.tsx';
import { BlueprintUsage, QuotaExhausted, quotaExhausted } from './blueprint-usage.tsx';
import { Page, type PageProps } from './layout.tsx';
import { utcTime } from './status-sections.tsx';

/** What the create form shows again after a refusal: the values sent and each field's error. */
export type CreateFormState = {
  values: { title: string; content: string };
  errors: Partial<Record<'title' | 'content', string>>;
};

/** Everything /blueprints shows. */
export type BlueprintListProps = {
  caller: Caller;
  flags: FlagsView;
  usage: Usage;
  items: BlueprintView[];
  offset: number;
  pageSize: number;
  nextOffset: number | null;
  /** Whether the caller's writes would pass the kill switches now. */
  writable: boolean;
  form?: CreateFormState | undefined;
  notice?: PageProps['notice'];
};

/** A field's error (or its hint) below it, and the id the field's aria-describedby names. */
function describe(form: CreateFormState | undefined, name: 'title' | 'content', hint: string) {
  const error = form?.errors[name];
  return {
    describedBy: error ? `${name}-error` : `${name}-hint`,
    invalid: error ? ('true' as const) : undefined,
    note: error ? (
      <p id={`${name}-error`} class="field-error">
        {error}
      </p>
    ) : (
      <p id={`${name}-hint`} class="hint">
        {hint}
      </p>
    ),
  };
}

function CreateForm(props: { form: CreateFormState | undefined; disabled: boolean; why: string | null }) {
  const { form } = props;
  const title = describe(form, 'title', `Up to ${FIELD_LIMITS.blueprintTitle} characters.`);
  const content = describe(form, 'content', `Plain text, up to ${BLUEPRINT_CONTENT_BYTES / 1024} KiB.`);
  return (
    <form method="post" action="/blueprints" id="create-blueprint" aria-labelledby="create-heading">
      <h2 id="create-heading">New blueprint</h2>
      {props.why ? <p class="hint">{props.why}</p> : null}
      <fieldset disabled={props.disabled}>
        <legend>Title and content</legend>
        <div class="field">
          <label for="title">Title</label>
          <input
            id="title"
            name="title"
            required
            maxlength={FIELD_LIMITS.blueprintTitle}
            value={form?.values.title ?? ''}
            aria-describedby={title.describedBy}
            aria-invalid={title.invalid}
          />
          {title.note}
        </div>
        <div class="field">
          <label for="content">Content</label>
          <textarea
            id="content"
            name="content"
            rows={8}
            required
            aria-describedby={content.describedBy}
            aria-invalid={content.invalid}
          >
            {form?.values.content ?? ''}
          </textarea>
          {content.note}
        </div>
        <button type="submit" id="create-submit">
          Create blueprint
        </button>
      </fieldset>
    </form>
  );
}

function Pager(props: { offset: number; pageSize: number; nextOffset: number | null }) {
  const prev = props.offset > 0 ? Math.max(0, props.offset - props.pageSize) : null;
  if (prev === null && props.nextOffset === null) return null;
  return (
    <nav class="actions" aria-label="Blueprint pages">
      {prev !== null ? (
        <a rel="prev" href={prev === 0 ? '/blueprints' : `/blueprints?offset=${prev}`}>
          Newer blueprints
        </a>
      ) : null}
      {props.nextOffset !== null ? (
        <a rel="next" href={`/blueprints?offset=${props.nextOffset}`}>
          Older blueprints
        </a>
      ) : null}
    </nav>
  );
}

/** /blueprints: usage against the quota, the create form, and the caller's blueprints (each with its delete form), paged. */
export function BlueprintListPage(props: BlueprintListProps) {
  const exhausted = quotaExhausted(props.usage);
  const why = !props.writable
    ? 'Creating is paused while changes are refused (see the banner above).'
    : exhausted
      ? 'Your plan has no blueprint left to create.'
      : null;
  return (
    <Page
      title="Blueprints"
      section="blueprints"
      caller={props.caller}
      flags={props.flags}
      notice={props.notice}
    >
      <h1>Blueprints</h1>
      <BlueprintUsage usage={props.usage} />
      {exhausted ? <QuotaExhausted usage={props.usage} /> : null}
      <CreateForm form={props.form} disabled={!props.writable || exhausted} why={why} />
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">Your blueprints</h2>
        {props.items.length === 0 ? (
          <p id="blueprint-list-empty">
            {props.offset > 0 ? 'No more blueprints.' : 'You have no blueprints yet.'}
          </p>
        ) : (
          <ul id="blueprint-list">
            {props.items.map((b) => (
              <li>
                <a href={`/blueprints/${b.id}`}>{b.title}</a>{' '}
                <span class="hint">{`created ${utcTime(new Date(b.createdAt))}`}</span>
                <details class="delete-details">
                  <summary>{`Delete “${b.title}”…`}</summary>
                  <fieldset disabled={!props.writable}>
                    <legend class="visually-hidden">{`Delete ${b.title}`}</legend>
                    <DeleteBlueprintForm id={b.id} title={b.title} idSuffix={b.id} />
                  </fieldset>
                </details>
              </li>
            ))}
          </ul>
        )}
        <Pager offset={props.offset} pageSize={props.pageSize} nextOffset={props.nextOffset} />
      </section>
    </Page>
  );
}
