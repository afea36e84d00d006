import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../../services/context.ts';
import { getFlags } from '../../services/flags/get-flags.ts';
import { requirePasswordReset } from '../../services/security/require-password-reset.ts';
import { revokeSessions } from '../../services/security/revoke-sessions.ts';
import { disableUser } from '../../services/users/disable-user.ts';
import { enableUser } from '../../services/users/enable-user.ts';
import { findUser } from '../../services/users/find-user.ts';
import { searchUsers } from '../../services/users/search-users.ts';
import type { RouteModule } from '../http/app.ts';
import type { AppEnv, Caller } from '../http/env.ts';
import { route } from '../http/routing.ts';
import { requireAdmin } from '../http/session.ts';
import { queryOf } from '../http/validate.ts';
import { AdminUserPage, AdminUsersPage } from './admin-users-page.tsx';
import { doneNotice, readForm, seeOther } from './form.ts';

const SearchQuery = z.object({ email: z.string().optional() });
const ReasonForm = z.object({ reason: z.string().optional() });
const ConfirmedForm = z.object({ reason: z.string().optional(), confirm: z.string().optional() });

const DONE = {
  disabled: 'Account disabled: signed out everywhere, sign-in refused.',
  enabled: 'Account enabled: it may sign in again.',
  revoked: 'Sessions revoked: signed out everywhere.',
};

/** The account a form acts on, and its typed confirmation checked: 400 naming `confirm`, nothing written. */
async function confirmedTarget(ctx: ServiceContext, c: Context<AppEnv>) {
  const form = await readForm(c, ConfirmedForm);
  const user = await findUser({ ctx, input: { user: c.req.param('id') ?? '' } });
  if ((form.confirm ?? '').trim().toLowerCase() !== user.email.toLowerCase()) {
    throw new AppError('bad_request', `confirm: type the account's email (${user.email}) to confirm`);
  }
  return { user, reason: form.reason };
}

/**
 * /admin/users: search by email, then disable or enable an account, revoke its sessions or
 * require a password reset, through the services of `polaris users …` and `polaris sessions
 * revoke`, audited as the admin. Like those commands, they work in maintenance and read-only
 * (OPERATOR_PREFIXES): containing a breach happens during the shutdown.
 */
export function adminUsersWeb(ctx: ServiceContext): RouteModule {
  const shell = async (caller: Caller) => ({ caller, flags: await getFlags({ ctx }) });
  return (app) => {
    route(app, '/admin/users', {
      GET: async (c) => {
        const caller = requireAdmin(c);
        const query = queryOf(c, SearchQuery);
        const email = query.email?.trim() ?? '';
        const found = email === '' ? null : await searchUsers({ ctx, input: { email } });
        c.header('Cache-Control', 'no-store');
        return c.html(
          <AdminUsersPage
            {...(await shell(caller))}
            email={email}
            users={found?.users ?? null}
            more={found?.more ?? false}
          />,
        );
      },
    });
    route(app, '/admin/users/:id', {
      GET: async (c) => {
        const caller = requireAdmin(c);
        const user = await findUser({ ctx, input: { user: c.req.param('id') ?? '' } });
        c.header('Cache-Control', 'no-store');
        return c.html(
          <AdminUserPage {...(await shell(caller))} notice={doneNotice(c, DONE)} user={user} links={[]} />,
        );
      },
    });
    route(app, '/admin/users/:id/disable', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const { user, reason } = await confirmedTarget(ctx, c);
        await disableUser({
          ctx,
          input: { user: user.userId, reason, actor: caller.email, confirmed: true },
        });
        return seeOther(c, `/admin/users/${user.userId}`, 'disabled');
      },
    });
    route(app, '/admin/users/:id/enable', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const form = await readForm(c, ReasonForm);
        const id = c.req.param('id') ?? '';
        const done = await enableUser({ ctx, input: { user: id, reason: form.reason, actor: caller.email } });
        return seeOther(c, `/admin/users/${done.userId}`, 'enabled');
      },
    });
    route(app, '/admin/users/:id/revoke-sessions', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const { user, reason } = await confirmedTarget(ctx, c);
        const input = { user: user.userId, reason, actor: caller.email, confirmed: true };
        await revokeSessions({ ctx, input });
        return seeOther(c, `/admin/users/${user.userId}`, 'revoked');
      },
    });
    // Answers with the page itself: the reset link is shown once and must not travel in a URL.
    route(app, '/admin/users/:id/require-reset', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const { user, reason } = await confirmedTarget(ctx, c);
        const input = { user: user.userId, reason, actor: caller.email, confirmed: true };
        const outcome = await requirePasswordReset({ ctx, input });
        const after = await findUser({ ctx, input: { user: user.userId } });
        const notice = {
          kind: 'ok' as const,
          text: `Password reset required; ${outcome.sessionsRevoked} sessions revoked.`,
        };
        c.header('Cache-Control', 'no-store');
        return c.html(
          <AdminUserPage {...(await shell(caller))} notice={notice} user={after} links={outcome.links} />,
        );
      },
    });
  };
}
