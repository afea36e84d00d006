import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { createKysely, verifyConnection } from '../../adapters/db/connection.ts';
import { createFlagsRepo } from '../../adapters/db/flags-repo.ts';
import { loadMigrations, Migrator } from '../../adapters/db/migrator.ts';
import type { BillingSettings } from '../context.ts';
import { checkReadiness } from './check-readiness.ts';

describeEachBackend('checkReadiness', { migrated: false }, (get) => {
  // A new Migrator is a new port object, so its readiness answers are not cached yet.
  const ctxFor = (migrator: Migrator = new Migrator(get().db), paymentsEnabled = true) => ({
    database: {
      kind: 'postgres' as const,
      ping: () => verifyConnection(get().db, get().url),
    },
    migrations: migrator,
    flags: { stored: () => createFlagsRepo(get().db).list() },
    settings: { paymentsEnabled } as BillingSettings,
    now: () => new Date('2026-11-30T12:00:00Z'),
  });
  const NORMAL = 'active: none; payments on (stored), maintenance off (stored), read-only off (stored)';
  const files = loadMigrations();
  const billing = files.findIndex((f) => f.name === '0100_billing');

  it('fails on an empty database, then serves with billing rolled back, naming what is pending', async () => {
    expect(await checkReadiness({ ctx: ctxFor() })).toEqual({
      ok: false,
      checks: {
        database: { ok: true, detail: 'postgres reachable' },
        migrations: { ok: false, detail: 'no migration applied; run polaris db migrate' },
        schema: { ok: true, detail: 'matches an empty database' },
        flags: { ok: false, detail: expect.stringMatching(/^cannot be read: .*system_flags/) },
      },
    });
    await new Migrator(get().db, files.slice(0, billing)).migrate();
    const pending = files.slice(billing).map((f) => f.name);
    expect(await checkReadiness({ ctx: ctxFor() })).toEqual({
      ok: true,
      checks: {
        database: { ok: true, detail: 'postgres reachable' },
        migrations: {
          ok: true,
          detail: `${billing} applied; pending (their features fail): ${pending.join(', ')}`,
        },
        schema: { ok: true, detail: `matches ${files[billing - 1]!.name}` },
        flags: { ok: true, detail: NORMAL },
      },
    });
    await new Migrator(get().db).migrate();
    expect(await checkReadiness({ ctx: ctxFor() })).toMatchObject({
      ok: true,
      checks: { schema: { ok: true, detail: `matches ${files.at(-1)!.name}` } },
    });
  });

  it('stays ready in a mode, naming it and which source decided payments (env over stored)', async () => {
    await createFlagsRepo(get().db).set('maintenance', {
      state: 'on',
      message: 'db upgrade',
      reason: 'test',
      actor: 'test',
      setAt: new Date('2026-11-30T11:00:00Z'),
      expiresAt: new Date('2026-11-30T12:30:00Z'),
    });
    try {
      const stored = await checkReadiness({ ctx: ctxFor() });
      expect(stored.ok).toBe(true);
      expect(stored.checks.flags).toEqual({
        ok: true,
        detail:
          'active: maintenance; payments on (stored), maintenance on (stored, until 2026-11-30T12:30:00.000Z), read-only off (stored)',
      });
      const env = await checkReadiness({ ctx: ctxFor(undefined, false) });
      expect(env.ok).toBe(true);
      expect(env.checks.flags?.detail).toBe(
        'active: payments, maintenance; payments off (PAYMENTS_ENABLED=false overrides the stored on), maintenance on (stored, until 2026-11-30T12:30:00.000Z), read-only off (stored)',
      );
    } finally {
      await createFlagsRepo(get().db).set('maintenance', {
        state: 'off',
        message: null,
        reason: 'test',
        actor: 'test',
        setAt: new Date('2026-11-30T11:00:00Z'),
        expiresAt: null,
      });
    }
  });

  it('answers not ready naming a dropped table and function, once the cached answer expires', async () => {
    const ctx = ctxFor();
    expect((await checkReadiness({ ctx })).ok).toBe(true);
    await sql`DROP TABLE refunds`.execute(get().db);
    await sql`DROP FUNCTION update_refunds_updated_at()`.execute(get().db);
    let ready = await checkReadiness({ ctx });
    for (let i = 0; i < 100 && ready.ok; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await checkReadiness({ ctx });
    }
    expect(ready).toMatchObject({ ok: false, checks: { migrations: { ok: true } } });
    expect(ready.checks.schema).toEqual({
      ok: false,
      detail: `schema drift from ${files.at(-1)!.name}: missing table refunds, function update_refunds_updated_at()`,
    });
  });

  it('reports an unreachable database without its password', async () => {
    const url = 'postgresql://polaris:pw-secret@127.0.0.1:1/none';
    const { db } = createKysely(url);
    const result = await checkReadiness({
      ctx: {
        database: { kind: 'postgres', ping: () => verifyConnection(db, url) },
        migrations: new Migrator(db),
        flags: { stored: () => createFlagsRepo(db).list() },
        settings: { paymentsEnabled: true } as BillingSettings,
        now: () => new Date(),
      },
    });
    await db.destroy();
    expect(result.ok).toBe(false);
    expect(result.checks.database?.detail).toBe(
      'cannot reach the database at postgresql://polaris:***@127.0.0.1:1/none: connection refused',
    );
    expect(result.checks.flags).toEqual({ ok: false, detail: 'database unreachable' });
    expect(JSON.stringify(result)).not.toContain('pw-secret');
  });
});
