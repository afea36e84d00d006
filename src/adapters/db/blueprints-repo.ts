import { sql } from 'kysely';
import type { Executor } from './executor.ts';
import type { BlueprintRow } from './schema-checkout.ts';

/** The outcome of reserving one blueprint creation (increment_blueprint_creation_count). */
export type Reservation = {
  allowed: boolean;
  blueprints_created: number;
  blueprint_limit: number | null;
  blueprints_remaining: number | null;
};

/** A user's usage in the current period (calculate_user_blueprint_stats). */
export type UsageStats = {
  subscription_tier: string;
  blueprints_created: number;
  blueprints_saved: number;
  blueprint_limit: number | null;
  blueprints_remaining: number | null;
  period_start: Date | null;
  period_end: Date | null;
};

/** Queries for blueprints and their quota counters. */
export function createBlueprintsRepo(db: Executor) {
  return {
    /** Takes one creation from the quota atomically (the profile row is locked); refused at the limit. */
    async reserveCreation(userId: string): Promise<Reservation> {
      const { rows } = await sql<Reservation>`
        SELECT * FROM increment_blueprint_creation_count(${userId}::uuid)`.execute(db);
      return rows[0]!;
    },

    /** Usage of the current period, limits from plan_catalog. */
    async stats(userId: string): Promise<UsageStats> {
      const { rows } = await sql<UsageStats>`
        SELECT * FROM calculate_user_blueprint_stats(${userId}::uuid)`.execute(db);
      return rows[0]!;
    },

    /** Stores a blueprint; content is serialised JSON. */
    insert(row: { userId: string; title: string; content: unknown }): Promise<BlueprintRow> {
      return db
        .insertInto('blueprints')
        .values({ user_id: row.userId, title: row.title, content: JSON.stringify(row.content) })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** The user's blueprints that are not deleted, newest first. */
    listOwn(userId: string, page: { limit: number; offset: number }): Promise<BlueprintRow[]> {
      return db
        .selectFrom('blueprints')
        .selectAll()
        .where('user_id', '=', userId)
        .where('deleted_at', 'is', null)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
    },

    /** One of the user's blueprints; another user's id, or a deleted one, finds nothing. */
    findOwn(userId: string, id: string): Promise<BlueprintRow | undefined> {
      return db
        .selectFrom('blueprints')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
    },

    /** Marks a blueprint saved the first time only; undefined when it was saved already or is not theirs. */
    markSaved(userId: string, id: string): Promise<BlueprintRow | undefined> {
      return db
        .updateTable('blueprints')
        .set({ status: 'saved', saved_at: sql`now()` })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('deleted_at', 'is', null)
        .where('saved_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
    },

    /** Counts one save on the user's profile. */
    async countSave(userId: string): Promise<void> {
      await db
        .updateTable('user_profiles')
        .set({ blueprint_saving_count: sql`blueprint_saving_count + 1` })
        .where('user_id', '=', userId)
        .execute();
    },

    /** Soft-deletes one of the user's blueprints; undefined when it is not theirs or already gone. */
    softDelete(userId: string, id: string): Promise<BlueprintRow | undefined> {
      return db
        .updateTable('blueprints')
        .set({ deleted_at: sql`now()` })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('deleted_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
    },
  };
}
