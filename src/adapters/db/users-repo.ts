import type { Executor } from './executor.ts';

/**
 * The profile fields that decide who a caller is and what they may do. No billing column: with
 * billing rolled back, people still sign in.
 */
export type CallerProfile = {
  userId: string;
  email: string;
  role: 'user' | 'admin';
  disabledAt: Date | null;
};

/** Queries for user profiles and accounts. */
export function createUsersRepo(db: Executor) {
  const profiles = () =>
    db
      .selectFrom('user_profiles')
      .select(['user_id as userId', 'email', 'role', 'disabled_at as disabledAt']);

  return {
    /** The profile of one user, or undefined when there is none. */
    async findProfile(userId: string): Promise<CallerProfile | undefined> {
      return profiles().where('user_id', '=', userId).executeTakeFirst();
    },

    /** The profile with this email (case-insensitive, as the unique index is). */
    async findProfileByEmail(email: string): Promise<CallerProfile | undefined> {
      return profiles()
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
        .executeTakeFirst();
    },

    /** Whether better-auth holds an account for this email. */
    async authUserExists(email: string): Promise<boolean> {
      const row = await db
        .selectFrom('auth_user')
        .select('id')
        .where('email', '=', email.toLowerCase())
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
