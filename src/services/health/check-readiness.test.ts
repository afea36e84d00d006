import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { createKysely, verifyConnection } from '../../adapters/db/connection.ts';
import { loadMigrations, Migrator } from '../../adapters/db/migrator.ts';
import { checkReadiness } from './check-readiness.ts';

describeEachBackend('checkReadiness', { migrated: false }, (get) => {
  const ctxFor = (migrator: Migrator) => ({
    database: {
      kind: 'postgres' as const,
      ping: () => verifyConnection(get().db, get().url),
    },
    migrations: migrator,
  });

  it('fails the migrations check while a migration is pending, passes once current', async () => {
    const migrator = new Migrator(get().db);
    await new Migrator(get().db, loadMigrations().slice(0, 1)).migrate();
    const behind = await checkReadiness({ ctx: ctxFor(migrator) });
    expect(behind).toEqual({
      ok: false,
      checks: {
        database: { ok: true, detail: 'postgres reachable' },
        migrations: { ok: false, detail: expect.stringMatching(/^0002_billing pending/) },
      },
    });
    await migrator.migrate();
    expect(await checkReadiness({ ctx: ctxFor(migrator) })).toMatchObject({ ok: true });
  });

  it('reports an unreachable database without its password', async () => {
    const url = 'postgresql://polaris:pw-secret@127.0.0.1:1/none';
    const { db } = createKysely(url);
    const result = await checkReadiness({
      ctx: {
        database: { kind: 'postgres', ping: () => verifyConnection(db, url) },
        migrations: new Migrator(db),
      },
    });
    await db.destroy();
    expect(result.ok).toBe(false);
    expect(result.checks.database?.detail).toBe(
      'cannot reach the database at postgresql://polaris:***@127.0.0.1:1/none: connection refused',
    );
    expect(JSON.stringify(result)).not.toContain('pw-secret');
  });
});
