import { FIELD_LIMITS } from '../../domain/fields.ts';
import type { FlagsView } from '../../domain/flags.ts';
import { MIN_PASSWORD_LENGTH } from '../../services/users/create-user.ts';
import type { Caller } from '../http/env.ts';
import { Field, type FieldErrors, FormError } from './auth-fields.tsx';
import { Page } from './layout.tsx';

/** What every auth page gets: who asks, the modes, where to go after, and the form's state. */
export type AuthPageProps = {
  caller: Caller | null;
  flags: FlagsView;
  /** A same-site path to return to (already checked by safeNext), or '' for /account. */
  next: string;
  values?: Partial<Record<string, string>>;
  errors?: FieldErrors;
  notice?: { kind: 'ok' | 'error' | 'warning'; text: string } | null;
  /** The kill switches refuse this form now (it is shown disabled). */
  refused?: string | null;
};

const withNext = (path: string, next: string) => (next ? `${path}?next=${encodeURIComponent(next)}` : path);

function Refused(props: { text: string | null | undefined }) {
  return props.text ? (
    <p class="notice warning" id="form-refused">
      {props.text}
    </p>
  ) : null;
}

/** GET /sign-up: name, email and password; then to `next` or /account. */
export function SignUpPage(props: AuthPageProps) {
  const e = props.errors ?? {};
  const v = props.values ?? {};
  return (
    <Page
      title="Create your account"
      section="auth"
      caller={props.caller}
      flags={props.flags}
      notice={props.notice}
    >
      <h1>Create your account</h1>
      <Refused text={props.refused} />
      <FormError text={e.form} />
      <form id="sign-up-form" method="post" action="/sign-up" novalidate>
        <fieldset disabled={Boolean(props.refused)}>
          <legend>Your details</legend>
          {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
          <Field
            name="name"
            label="Name"
            type="text"
            autocomplete="name"
            value={v.name}
            error={e.name}
            maxlength={FIELD_LIMITS.name}
          />
          <Field
            name="email"
            label="Email"
            type="email"
            autocomplete="email"
            value={v.email}
            error={e.email}
            maxlength={FIELD_LIMITS.email}
          />
          <Field
            name="password"
            label="Password"
            type="password"
            autocomplete="new-password"
            error={e.password}
            hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
            minlength={MIN_PASSWORD_LENGTH}
            maxlength={FIELD_LIMITS.password}
          />
          <p class="actions">
            <button type="submit">Create account</button>
          </p>
        </fieldset>
      </form>
      <p>
        Already have an account? <a href={withNext('/sign-in', props.next)}>Sign in</a>
      </p>
    </Page>
  );
}

/** GET /sign-in: email and password; then to `next` or /account. */
export function SignInPage(props: AuthPageProps & { resetRequired?: boolean }) {
  const e = props.errors ?? {};
  const v = props.values ?? {};
  return (
    <Page title="Sign in" section="auth" caller={props.caller} flags={props.flags} notice={props.notice}>
      <h1>Sign in</h1>
      <Refused text={props.refused} />
      <FormError text={e.form}>
        {props.resetRequired ? (
          <p>
            <a href="/forgot-password">How to set a new password</a>
          </p>
        ) : null}
      </FormError>
      <form id="sign-in-form" method="post" action="/sign-in" novalidate>
        <fieldset disabled={Boolean(props.refused)}>
          <legend>Your account</legend>
          {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
          <Field
            name="email"
            label="Email"
            type="email"
            autocomplete="username"
            value={v.email}
            error={e.email}
            maxlength={FIELD_LIMITS.email}
          />
          <Field
            name="password"
            label="Password"
            type="password"
            autocomplete="current-password"
            error={e.password}
            maxlength={FIELD_LIMITS.password}
          />
          <p class="actions">
            <button type="submit">Sign in</button>
            <a href="/forgot-password">Forgot your password?</a>
          </p>
        </fieldset>
      </form>
      <p>
        New here? <a href={withNext('/sign-up', props.next)}>Create an account</a>
      </p>
    </Page>
  );
}

/** GET /forgot-password: how a new password is set (links are issued by an operator, not by mail). */
export function ForgotPasswordPage(props: { caller: Caller | null; flags: FlagsView }) {
  return (
    <Page title="Forgot your password" section="auth" caller={props.caller} flags={props.flags}>
      <h1>Forgot your password?</h1>
      <p id="reset-how">
        Polaris does not send reset mail yet. Write to support from the address you signed up with: an
        operator checks it is you and sends you a single-use link that sets a new password. The link works for
        one day.
      </p>
      <p>
        An account told to set a new password (after a security incident) must use the link it was given;
        until then it cannot sign in, and its old sessions are closed.
      </p>
      <p class="actions">
        <a href="/sign-in">Back to sign in</a>
        <a href="/status">System status</a>
      </p>
    </Page>
  );
}
