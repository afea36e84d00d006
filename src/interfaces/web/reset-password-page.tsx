import { FIELD_LIMITS } from '../../domain/fields.ts';
import type { FlagsView } from '../../domain/flags.ts';
import { MIN_PASSWORD_LENGTH } from '../../services/users/create-user.ts';
import type { Caller } from '../http/env.ts';
import { Field, type FieldErrors, FormError } from './auth-fields.tsx';
import { Page } from './layout.tsx';

/** GET /reset-password?token=…: a form that sets a new password with a single-use reset token. */
export function ResetPasswordPage(props: {
  caller: Caller | null;
  flags: FlagsView;
  token: string;
  errors?: FieldErrors;
  refused?: string | null;
}) {
  const e = props.errors ?? {};
  return (
    <Page
      title="Set a new password"
      section="auth"
      caller={props.caller}
      flags={props.flags}
      // The token is in this page's URL: no Referer may carry it to another site. (no-referrer
      // would also make the form's Origin "null", which the same-origin check refuses.)
      head={<meta name="referrer" content="same-origin" />}
    >
      <h1>Set a new password</h1>
      <FormError text={e.form}>
        {e.token ? (
          <p>
            <a href="/forgot-password">How to get a new link</a>
          </p>
        ) : null}
      </FormError>
      {props.token === '' ? (
        <p id="no-token">
          This link has no token. Open the whole link you were given, or see{' '}
          <a href="/forgot-password">how to get a new one</a>.
        </p>
      ) : (
        <form id="reset-password-form" method="post" action="/reset-password" novalidate>
          {props.refused ? (
            <p class="notice warning" id="form-refused">
              {props.refused}
            </p>
          ) : null}
          <fieldset disabled={Boolean(props.refused)}>
            <legend>Your new password</legend>
            <input type="hidden" name="token" value={props.token} />
            <Field
              name="password"
              label="New password"
              type="password"
              autocomplete="new-password"
              error={e.password}
              hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
              minlength={MIN_PASSWORD_LENGTH}
              maxlength={FIELD_LIMITS.password}
            />
            <Field
              name="confirm"
              label="The same password again"
              type="password"
              autocomplete="new-password"
              error={e.confirm}
              maxlength={FIELD_LIMITS.password}
            />
            <p class="actions">
              <button type="submit">Set password</button>
            </p>
          </fieldset>
        </form>
      )}
    </Page>
  );
}
