import { sql } from 'kysely';
import type { Executor } from './executor.ts';

/** Who a revocation reaches: one user's sessions or every session. */
export type SessionScope = { userId: string } | 'all';

// better-auth's own identifier for a password-reset token (api/routes/password: `reset-password:<token>`).
const RESET_TOKEN_PREFIX = 'reset-password:';

/** better-auth's sessions and reset tokens, as the security commands change them. */
export function createSessionsRepo(db: Executor) {
  return {
    /** Live sessions (not yet expired) in the scope. */
    async countLive(scope: SessionScope, now: Date): Promise<number> {
      let query = db
        .selectFrom('auth_session')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('expires_at', '>', now);
      if (scope !== 'all') query = query.where('user_id', '=', scope.userId);
      return Number((await query.executeTakeFirstOrThrow()).n);
    },

    /** Deletes every session in the scope (expired ones too); how many live ones were deleted. */
    async revoke(scope: SessionScope, now: Date): Promise<number> {
      const which = scope === 'all' ? sql`true` : sql`user_id = ${scope.userId}`;
      const { rows } = await sql<{ live: number }>`
        WITH gone AS (DELETE FROM auth_session WHERE ${which} RETURNING expires_at)
        SELECT count(*) FILTER (WHERE expires_at > ${now})::int AS live FROM gone`.execute(db);
      return rows[0]?.live ?? 0;
    },

    /** Deletes outstanding password-reset tokens in the scope, so only the newest link works. */
    async dropResetTokens(scope: SessionScope): Promise<void> {
      let query = db.deleteFrom('auth_verification').where('identifier', 'like', `${RESET_TOKEN_PREFIX}%`);
      if (scope !== 'all') query = query.where('value', '=', scope.userId);
      await query.execute();
    },
  };
}

/** The sessions repository's queries. */
export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
