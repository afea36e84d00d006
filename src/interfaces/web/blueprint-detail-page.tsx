import type { FlagsView } from '../../domain/flags.ts';
import type { BlueprintView } from '../../services/blueprints/blueprint-view.ts';
import type { Caller } from '../http/env.ts';
import { DeleteBlueprintForm } from './blueprint-delete-form.tsx';
import { Page } from './layout.tsx';
import { utcTime } from './status-sections.tsx';

/** Text content as written; content the API stored as JSON, indented. */
const shown = (content: unknown) =>
  typeof content === 'string' ? content : JSON.stringify(content, null, 2);

/** /blueprints/<id>: one of the caller's blueprints, and its delete form behind a confirmation. */
export function BlueprintDetailPage(props: {
  caller: Caller;
  flags: FlagsView;
  blueprint: BlueprintView;
  writable: boolean;
  confirmError?: string | undefined;
}) {
  const b = props.blueprint;
  return (
    <Page
      title={b.title}
      section="blueprints"
      caller={props.caller}
      flags={props.flags}
      notice={props.confirmError ? { kind: 'error', text: props.confirmError } : null}
    >
      <p>
        <a href="/blueprints">← All blueprints</a>
      </p>
      <h1 id="blueprint-title">{b.title}</h1>
      <p class="hint">
        {`Created ${utcTime(new Date(b.createdAt))}`}
        {b.savedAt ? ` · saved ${utcTime(new Date(b.savedAt))}` : ''}
      </p>
      <h2>Content</h2>
      <pre id="blueprint-content" class="blueprint-content">
        {shown(b.content)}
      </pre>
      <h2 id="delete-heading">Delete</h2>
      <fieldset disabled={!props.writable} aria-labelledby="delete-heading">
        <DeleteBlueprintForm id={b.id} title={b.title} error={props.confirmError} />
      </fieldset>
    </Page>
  );
}
