import type { CallerProfile } from '../../adapters/db/users-repo.ts';
import { AppError } from '../../domain/errors.ts';
import { userReference } from '../../domain/operator-input.ts';
import type { ServiceContext } from '../context.ts';

/** The profile an operator names by email or user id; AppError 'not_found' when there is none. */
export async function findUser({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { user: string };
}): Promise<CallerProfile> {
  const ref = userReference(input.user);
  const profile =
    'userId' in ref
      ? await ctx.repos.users.findProfile(ref.userId)
      : await ctx.repos.users.findProfileByEmail(ref.email);
  if (!profile) throw new AppError('not_found', `no user ${input.user.trim()}`);
  return profile;
}
