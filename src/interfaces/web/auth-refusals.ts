import type { AppError } from '../../domain/errors.ts';
import type { FieldErrors } from './auth-fields.tsx';

/** Which form better-auth refused. */
export type AuthForm = 'sign-up' | 'sign-in' | 'reset';

const DISABLED =
  'This account is disabled, so it cannot sign in. If you think that is a mistake, write to support from its email address.';
const RESET_REQUIRED =
  'This account must set a new password before it can sign in. Open the reset link you were given; the old password no longer works.';

/** better-auth's code, which our refusals keep at the end of the message: "… (CODE)". */
const codeOf = (error: AppError) => /\(([A-Z_]+)\)$/.exec(error.message)?.[1] ?? '';

/**
 * A refusal of better-auth as a person reads it, beside the field it is about (or above the form):
 * a wrong password and an unknown email read the same, so the form tells nobody who has an account.
 */
export function refusalFields(error: AppError, form: AuthForm): { errors: FieldErrors; retryAfter?: string } {
  const code = codeOf(error);
  switch (error.code) {
    case 'account_disabled':
      return { errors: { form: DISABLED } };
    case 'password_reset_required':
      return { errors: { form: RESET_REQUIRED } };
    case 'unauthorized':
      return { errors: { password: 'The email or the password is wrong.' } };
    case 'conflict':
      return { errors: { email: 'An account with this email already exists. Sign in instead.' } };
    case 'rate_limited': {
      const seconds = error.details?.retryAfterSeconds;
      const wait = typeof seconds === 'number' ? `${seconds} seconds` : 'a minute';
      return {
        errors: { form: `Too many attempts from your address. Wait ${wait} and try again.` },
        ...(typeof seconds === 'number' ? { retryAfter: String(seconds) } : {}),
      };
    }
    default:
      break;
  }
  if (code.startsWith('PASSWORD_TOO'))
    return { errors: { password: error.message.replace(/ \([A-Z_]+\)$/, '.') } };
  if (code === 'INVALID_EMAIL') return { errors: { email: 'Enter an email address like you@example.com.' } };
  if (form === 'reset' && (code === 'INVALID_TOKEN' || error.code === 'bad_request')) {
    return {
      errors: {
        form: 'This reset link does not work: it was used already, has expired (links last a day) or was replaced by a newer one.',
        token: 'invalid',
      },
    };
  }
  return { errors: { form: error.message } };
}
