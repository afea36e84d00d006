import type { CallerProfile } from '../../adapters/db/users-repo.ts';
import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';

export type { CallerProfile } from '../../adapters/db/users-repo.ts';

/** The most accounts one search returns. */
export const USER_SEARCH_LIMIT = 25;

/**
 * Accounts whose email contains the text (case-insensitive), by email, at most
 * USER_SEARCH_LIMIT (+1 to say there are more): what an operator finds before acting on one.
 */
export async function searchUsers({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { email: string };
}): Promise<{ users: CallerProfile[]; more: boolean }> {
  const text = input.email.trim();
  if (text.length < 2 || text.length > 320) {
    throw new AppError('bad_request', 'email: type between 2 and 320 characters of the email');
  }
  const rows = await ctx.repos.users.searchProfiles(text, USER_SEARCH_LIMIT + 1);
  return { users: rows.slice(0, USER_SEARCH_LIMIT), more: rows.length > USER_SEARCH_LIMIT };
}
