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
  /** Set by `polaris users require-password-reset`; cleared by a new password (migrations/0005). */
  passwordResetRequiredAt: Date | null;
};

/** Queries for user profiles and accounts. */
export function createUsersRepo(db: Executor) {
  const profiles = () =>
    db
      .selectFrom('user_profiles')
      .select([
        'user_id as userId',
        'email',
        'role',
        'disabled_at as disabledAt',
        'password_reset_required_at as passwordResetRequiredAt',
      ]);

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

    /** Sets disabled_at unless it is set already; the profile as it is afterwards. */
    async disable(userId: string, at: Date): Promise<{ disabledAt: Date; changed: boolean }> {
      const changed = await db
        .updateTable('user_profiles')
        .set({ disabled_at: at, updated_at: at })
        .where('user_id', '=', userId)
        .where('disabled_at', 'is', null)
        .returning('disabled_at')
        .executeTakeFirst();
      if (changed?.disabled_at) return { disabledAt: changed.disabled_at, changed: true };
      const row = await profiles().where('user_id', '=', userId).executeTakeFirstOrThrow();
      return { disabledAt: row.disabledAt ?? at, changed: false };
    },

    /** Clears disabled_at; false when the profile was not disabled. */
    async enable(userId: string, at: Date): Promise<boolean> {
      const changed = await db
        .updateTable('user_profiles')
        .set({ disabled_at: null, updated_at: at })
        .where('user_id', '=', userId)
        .where('disabled_at', 'is not', null)
        .returning('user_id')
        .executeTakeFirst();
      return changed !== undefined;
    },

    /** Profiles whose email contains `text` (case-insensitive), by email, at most `limit`. */
    async searchProfiles(text: string, limit: number): Promise<CallerProfile[]> {
      const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      return profiles()
        .where((eb) => eb(eb.fn('lower', ['email']), 'like', pattern))
        .orderBy('email')
        .limit(limit)
        .execute();
    },

    /** Marks one profile (or every profile) as needing a new password; the profiles marked. */
    async requirePasswordReset(
      target: { userId: string } | 'all',
      at: Date,
    ): Promise<{ userId: string; email: string }[]> {
      let update = db.updateTable('user_profiles').set({ password_reset_required_at: at, updated_at: at });
      if (target !== 'all') update = update.where('user_id', '=', target.userId);
      return update.returning(['user_id as userId', 'email']).execute();
    },

    /** How many profiles exist (what `--all` would touch). */
    async countProfiles(): Promise<number> {
      const row = await db
        .selectFrom('user_profiles')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
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
