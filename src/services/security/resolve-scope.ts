import type { SessionScope } from '../../adapters/db/sessions-repo.ts';
import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { findUser } from '../users/find-user.ts';

/** Whom a bulk security command reaches: every account, or one named by --user. */
export type ScopeInput = { all?: boolean | undefined; user?: string | undefined };

/** A resolved scope: the repositories' form, the audit target, and the account's email when one. */
export type ResolvedScope = { scope: SessionScope; target: string; email: string | null };

/** Resolves `--all` or `--user <email|id>` (exactly one); an unknown user is AppError 'not_found'. */
export async function resolveScope({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: ScopeInput;
}): Promise<ResolvedScope> {
  const user = input.user?.trim() || undefined;
  if (input.all === true && user) throw new AppError('bad_request', 'give --all or --user, not both');
  if (input.all === true) return { scope: 'all', target: 'all', email: null };
  if (!user) throw new AppError('bad_request', 'say whom: --all, or --user <email|id>');
  const profile = await findUser({ ctx, input: { user } });
  return { scope: { userId: profile.userId }, target: profile.userId, email: profile.email };
}
