import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { FIELD_LIMITS } from '../../domain/fields.ts';
import { refuseWrite, type WriteKind } from '../../domain/flags.ts';
import type { ServiceContext } from '../../services/context.ts';
import { getFlags } from '../../services/flags/get-flags.ts';
import { MIN_PASSWORD_LENGTH } from '../../services/users/create-user.ts';
import type { RouteModule } from '../http/app.ts';
import type { AppEnv } from '../http/env.ts';
import { codeToStatus } from '../http/errors.ts';
import { fromOwnOrigin } from '../http/origin-check.ts';
import { route } from '../http/routing.ts';
import { checkFields } from './auth-fields.tsx';
import { ForgotPasswordPage, SignInPage, SignUpPage } from './auth-forms.tsx';
import { refusalFields } from './auth-refusals.ts';
import { redirectWithCookies, submitToAuth } from './auth-submit.ts';
import { doneNotice, safeNext } from './form.ts';
import { ResetPasswordPage } from './reset-password-page.tsx';

const Email = z
  .string()
  .trim()
  .min(1, 'Enter your email address.')
  .max(FIELD_LIMITS.email, `Use at most ${FIELD_LIMITS.email} characters.`)
  .pipe(z.email('Enter an email address like you@example.com.'));
const NewPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(FIELD_LIMITS.password, `Use at most ${FIELD_LIMITS.password} characters.`);
const Next = z.string().max(FIELD_LIMITS.url).optional();

const SignUpForm = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter your name.')
    .max(FIELD_LIMITS.name, `Use at most ${FIELD_LIMITS.name} characters.`),
  email: Email,
  password: NewPassword,
  next: Next,
});
const SignInForm = z.object({
  email: Email,
  password: z.string().min(1, 'Enter your password.').max(FIELD_LIMITS.password),
  next: Next,
});
const ResetForm = z.object({
  token: z.string().min(1, 'This form has no reset token.').max(FIELD_LIMITS.other),
  password: NewPassword,
  confirm: z.string().max(FIELD_LIMITS.password),
});

const SIGN_IN_DONE = {
  'signed-out': 'You are signed out.',
  'password-set': 'Your new password is set. Sign in with it.',
};

const html = (c: Context<AppEnv>, page: unknown, status: ContentfulStatusCode = 200) =>
  c.html(`<!doctype html>${page}`, status);

/** The form's fields, after refusing a form sent from another site (login CSRF included). */
async function formBody(c: Context<AppEnv>, ctx: ServiceContext): Promise<Record<string, unknown>> {
  if (!fromOwnOrigin(c, ctx.settings.publicBaseUrl)) {
    throw new AppError(
      'forbidden',
      'this form must be sent from a Polaris page (its Origin was missing or foreign)',
    );
  }
  return c.req.parseBody();
}

/** The page's own read of the kill switches: the form is shown disabled when it would be refused. */
async function modes(ctx: ServiceContext, kind: WriteKind) {
  const flags = await getFlags({ ctx });
  return { flags, refused: refuseWrite(flags, { kind, admin: false }, ctx.now())?.message ?? null };
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The account pages of a visitor: sign-up, sign-in, sign-out and password reset (server-rendered forms). */
export function authPages(ctx: ServiceContext): RouteModule {
  return (app) => {
    route(app, '/sign-up', {
      GET: async (c) => {
        const next = safeNext(c.req.query('next'), '');
        return html(c, <SignUpPage caller={c.get('caller')} next={next} {...(await modes(ctx, 'data'))} />);
      },
      POST: async (c) => {
        const body = await formBody(c, ctx);
        const next = safeNext(text(body.next), '');
        const values = { name: text(body.name), email: text(body.email) };
        const checked = checkFields(SignUpForm, body);
        const show = async (errors: Record<string, string | undefined>, status: ContentfulStatusCode) =>
          html(
            c,
            <SignUpPage
              caller={c.get('caller')}
              next={next}
              values={values}
              errors={errors}
              {...(await modes(ctx, 'data'))}
            />,
            status,
          );
        if (!checked.ok) return show(checked.errors, 400);
        const { name, email, password } = checked.value;
        const done = await submitToAuth(c, ctx, '/sign-up/email', { name, email, password });
        if (done.ok) return redirectWithCookies(c, done.response, safeNext(next, '/account'));
        return show(refusalFields(done.error, 'sign-up').errors, codeToStatus[done.error.code]);
      },
    });
    route(app, '/sign-in', {
      GET: async (c) => {
        const next = safeNext(c.req.query('next'), '');
        return html(
          c,
          <SignInPage
            caller={c.get('caller')}
            next={next}
            notice={doneNotice(c, SIGN_IN_DONE)}
            {...(await modes(ctx, 'session'))}
          />,
        );
      },
      POST: async (c) => {
        const body = await formBody(c, ctx);
        const next = safeNext(text(body.next), '');
        const values = { email: text(body.email) };
        const checked = checkFields(SignInForm, body);
        const show = async (
          errors: Record<string, string | undefined>,
          status: ContentfulStatusCode,
          resetRequired = false,
        ) =>
          html(
            c,
            <SignInPage
              caller={c.get('caller')}
              next={next}
              values={values}
              errors={errors}
              resetRequired={resetRequired}
              {...(await modes(ctx, 'session'))}
            />,
            status,
          );
        if (!checked.ok) return show(checked.errors, 400);
        const { email, password } = checked.value;
        const done = await submitToAuth(c, ctx, '/sign-in/email', { email, password });
        if (done.ok) return redirectWithCookies(c, done.response, safeNext(next, '/account'));
        const refusal = refusalFields(done.error, 'sign-in');
        if (refusal.retryAfter) c.header('Retry-After', refusal.retryAfter);
        return show(
          refusal.errors,
          codeToStatus[done.error.code],
          done.error.code === 'password_reset_required',
        );
      },
    });
    route(app, '/sign-out', {
      POST: async (c) => {
        await formBody(c, ctx);
        const done = await submitToAuth(c, ctx, '/sign-out', {}, { withCookie: true });
        const to = '/sign-in?done=signed-out';
        // Without a live session there is nothing to end: the visitor is signed out all the same.
        return done.ok ? redirectWithCookies(c, done.response, to) : c.redirect(to, 303);
      },
    });
    route(app, '/forgot-password', {
      GET: async (c) =>
        html(c, <ForgotPasswordPage caller={c.get('caller')} flags={await getFlags({ ctx })} />),
    });
    // The token stays out of logs and referrers: request logs keep the path only, and the page sends no Referer.
    route(app, '/reset-password', {
      GET: async (c) =>
        html(
          c,
          <ResetPasswordPage
            caller={c.get('caller')}
            token={c.req.query('token') ?? ''}
            {...(await modes(ctx, 'data'))}
          />,
        ),
      POST: async (c) => {
        const body = await formBody(c, ctx);
        const token = text(body.token);
        const show = async (errors: Record<string, string | undefined>, status: ContentfulStatusCode) =>
          html(
            c,
            <ResetPasswordPage
              caller={c.get('caller')}
              token={token}
              errors={errors}
              {...(await modes(ctx, 'data'))}
            />,
            status,
          );
        const checked = checkFields(ResetForm, body);
        if (!checked.ok) return show(checked.errors, 400);
        if (checked.value.confirm !== checked.value.password) {
          return show({ confirm: 'The two passwords differ: type the same one twice.' }, 400);
        }
        const done = await submitToAuth(c, ctx, '/reset-password', {
          token,
          newPassword: checked.value.password,
        });
        if (done.ok) return c.redirect('/sign-in?done=password-set', 303);
        return show(refusalFields(done.error, 'reset').errors, codeToStatus[done.error.code]);
      },
    });
  };
}
