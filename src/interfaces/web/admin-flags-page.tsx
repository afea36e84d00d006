import {
  DURATION_HINT,
  type EffectiveFlag,
  FLAG_LABELS,
  type FlagsView,
  NORMAL_STATE,
} from '../../domain/flags.ts';
import type { Caller } from '../http/env.ts';
import { AdminPage } from './admin-layout.tsx';
import type { PageProps } from './layout.tsx';
import { utcTime } from './status-sections.tsx';

/** The words the emergency forms ask to be typed before they act. */
export const EMERGENCY_WORDS = { shutdown: 'SHUTDOWN', lift: 'LIFT' } as const;

const EFFECT: Record<EffectiveFlag['name'], string> = {
  payments: 'Off stops new checkouts and plan changes; webhooks still apply.',
  maintenance: 'On shows a banner everywhere and refuses every non-admin write with 503.',
  read_only: 'On refuses every change to user data; webhooks are stored and wait.',
};

/** A labelled text input of the admin forms, its hint tied to it by aria-describedby. */
export function Field(props: {
  id: string;
  name: string;
  label: string;
  hint?: string | undefined;
  required?: boolean;
  value?: string;
}) {
  const hint = props.hint ? `${props.id}-hint` : undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        type="text"
        value={props.value}
        required={props.required}
        aria-describedby={hint}
        autocomplete="off"
      />
      {props.hint ? (
        <p class="hint" id={hint}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

function FlagForm(props: { flag: EffectiveFlag }) {
  const { flag } = props;
  const id = `flag-${flag.name}`;
  const label = FLAG_LABELS[flag.name];
  // The radio starts on the change an operator most likely came for: away from the current state.
  const proposed = flag.state === 'on' ? 'off' : 'on';
  const normal = NORMAL_STATE[flag.name];
  return (
    <form method="post" action={`/admin/flags/${flag.name}`} id={id} class="card">
      <h3 id={`${id}-title`}>{label}</h3>
      <p id={`${id}-state`}>
        Now <strong>{flag.state}</strong>
        {flag.active ? ' (active)' : ' (normal)'}
        {flag.source === 'env' ? ', held off by PAYMENTS_ENABLED=false' : ''}
        {flag.expiresAt && flag.active ? `, until ${utcTime(flag.expiresAt)}` : ''}
        {flag.active ? `; set by ${flag.actor}: ${flag.reason}` : ''}
      </p>
      <p class="hint">{EFFECT[flag.name]}</p>
      <fieldset>
        <legend>New state</legend>
        {(['on', 'off'] as const).map((state) => (
          <span>
            <input
              type="radio"
              name="state"
              value={state}
              id={`${id}-${state}`}
              checked={state === proposed}
            />{' '}
            <label for={`${id}-${state}`} style="display:inline">
              {state}
              {state === normal ? ' (normal)' : ''}
            </label>{' '}
          </span>
        ))}
      </fieldset>
      <Field id={`${id}-reason`} name="reason" label="Reason (required, goes to the audit log)" required />
      <Field
        id={`${id}-message`}
        name="message"
        label="Message shown to people (optional)"
        hint={
          flag.name === 'maintenance'
            ? 'Required when turning maintenance on: the banner shows it.'
            : undefined
        }
      />
      <Field
        id={`${id}-expires`}
        name="expires"
        label="Expires after (optional)"
        hint={`Only when turning a mode on: ${DURATION_HINT}.`}
      />
      <div class="field">
        <input type="checkbox" name="confirm" value="yes" id={`${id}-confirm`} required />{' '}
        <label for={`${id}-confirm`} style="display:inline">
          I confirm this changes {label} for every visitor
        </label>
      </div>
      <button type="submit" id={`${id}-submit`}>
        Set {label}
      </button>
    </form>
  );
}

function EmergencyForm(props: { kind: 'shutdown' | 'lift' }) {
  const id = `emergency-${props.kind}`;
  const word = EMERGENCY_WORDS[props.kind];
  const shutdown = props.kind === 'shutdown';
  return (
    <form method="post" action={`/admin/flags/emergency/${props.kind}`} id={id} class="card">
      <h3>{shutdown ? 'Emergency shutdown' : 'Lift the emergency'}</h3>
      <p class="hint">
        {shutdown
          ? 'Payments off, maintenance on and read-only on at once, and a critical incident opened.'
          : 'Every active mode back to normal; the incident stays open until someone resolves it.'}
      </p>
      <Field id={`${id}-reason`} name="reason" label="Reason (required, goes to the audit log)" required />
      {shutdown ? (
        <Field id={`${id}-message`} name="message" label="Message shown to people (optional)" />
      ) : null}
      <Field id={`${id}-confirm`} name="confirm" label={`Type ${word} to confirm`} required />
      <button type="submit" class={shutdown ? 'danger' : undefined} id={`${id}-submit`}>
        {shutdown ? 'Shut everything down' : 'Lift every mode'}
      </button>
    </form>
  );
}

/** /admin/flags: each kill switch with a reason, an expiry and a confirmation; the emergency forms. */
export function AdminFlagsPage(props: { caller: Caller; flags: FlagsView; notice: PageProps['notice'] }) {
  return (
    <AdminPage title="Flags" current="flags" caller={props.caller} flags={props.flags} notice={props.notice}>
      <section aria-labelledby="h-flag-forms">
        <h2 id="h-flag-forms">Kill switches</h2>
        <div class="cards">
          {props.flags.flags.map((flag) => (
            <FlagForm flag={flag} />
          ))}
        </div>
      </section>
      <section aria-labelledby="h-emergency">
        <h2 id="h-emergency">Emergency</h2>
        <div class="cards">
          <EmergencyForm kind="shutdown" />
          <EmergencyForm kind="lift" />
        </div>
      </section>
    </AdminPage>
  );
}
