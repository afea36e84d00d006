import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { catalogSnapshot } from '../../../test/support/catalog-snapshot.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { loadMigrations, Migrator } from '../db/migrator.ts';

const UP_TO_ACCOUNTS = loadMigrations().filter((m) => m.name <= '0002_accounts');

describeEachBackend('0002_accounts migration', { migrated: false }, (get) => {
  it('rolls back to exactly the catalog before it, with accounts in the tables, and applies again', async () => {
    const db = get().db;
    expect(UP_TO_ACCOUNTS.map((m) => m.name).at(-1)).toBe('0002_accounts');
    expect((await new Migrator(db, UP_TO_ACCOUNTS.slice(0, -1)).migrate()).ok).toBe(true);
    const before = await catalogSnapshot(db);

    const migrator = new Migrator(db, UP_TO_ACCOUNTS);
    expect(await migrator.migrate()).toEqual({ ok: true, value: { applied: ['0002_accounts'] } });
    await sql`INSERT INTO auth_user (name, email) VALUES ('Kept', 'kept@example.com')`.execute(db);
    const during = await catalogSnapshot(db);
    expect(during.tables).toEqual(
      expect.arrayContaining(['auth_user:r', 'auth_session:r', 'auth_account:r']),
    );

    expect(await migrator.rollback('0001_core')).toEqual({
      ok: true,
      value: { rolledBack: ['0002_accounts'], audited: false },
    });
    expect(await catalogSnapshot(db)).toEqual(before);
    // The profile an auth user got stays: rows of later migrations may point at it.
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM user_profiles WHERE email = 'kept@example.com'`.execute(db);
    expect(rows[0]!.n).toBe(1);

    expect((await migrator.migrate()).ok).toBe(true);
    expect(await catalogSnapshot(db)).toEqual(during);
  });
});
