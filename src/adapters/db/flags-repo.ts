import type { Selectable } from 'kysely';
import type { FlagName, FlagState, StoredFlag } from '../../domain/flags.ts';
import type { Executor } from './executor.ts';
import type { SystemFlagsTable } from './schema-flags.ts';

/** A new state for one flag, as written by an operator or by the expiry. */
export type FlagWrite = {
  state: FlagState;
  message: string | null;
  reason: string;
  actor: string;
  setAt: Date;
  expiresAt: Date | null;
};

const toStored = (row: Selectable<SystemFlagsTable>): StoredFlag => ({
  name: row.name,
  state: row.state,
  message: row.message,
  reason: row.reason,
  actor: row.actor,
  setAt: row.set_at,
  expiresAt: row.expires_at,
});

/** Queries for system_flags; writes go inside the transaction that records their audit row. */
export function createFlagsRepo(db: Executor) {
  const all = () => db.selectFrom('system_flags').selectAll().orderBy('name');
  return {
    /** Every stored flag. */
    async list(): Promise<StoredFlag[]> {
      return (await all().execute()).map(toStored);
    },

    /** Every stored flag, locked until the transaction ends (so a change and its audit row see one state). */
    async lockAll(): Promise<StoredFlag[]> {
      return (await all().forUpdate().execute()).map(toStored);
    },

    /** Writes one flag's new state (the row is created if someone deleted it); last write wins. */
    async set(name: FlagName, write: FlagWrite): Promise<StoredFlag> {
      const values = {
        state: write.state,
        message: write.message,
        reason: write.reason,
        actor: write.actor,
        set_at: write.setAt,
        expires_at: write.expiresAt,
      };
      const row = await db
        .insertInto('system_flags')
        .values({ name, ...values })
        .onConflict((oc) => oc.column('name').doUpdateSet(values))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toStored(row);
    },

    /** The flag locked when its expiry has passed by `now`, else undefined (someone reverted it first). */
    async lockExpired(name: FlagName, now: Date): Promise<StoredFlag | undefined> {
      const row = await db
        .selectFrom('system_flags')
        .selectAll()
        .where('name', '=', name)
        .where('expires_at', 'is not', null)
        .where('expires_at', '<=', now)
        .forUpdate()
        .executeTakeFirst();
      return row && toStored(row);
    },
  };
}

/** The flags repository's queries. */
export type FlagsRepo = ReturnType<typeof createFlagsRepo>;
