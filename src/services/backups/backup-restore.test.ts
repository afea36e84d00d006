import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetFlags, storedFlags } from '../../../test/support/flags.ts';
import { seedBilling } from '../../../test/support/seed.ts';
import { backupDatabase } from '../../adapters/db/backups.ts';
import { copyLineToTuple } from '../../adapters/db/dump/copy-text.ts';
import type { AppError } from '../../domain/errors.ts';
import { restoreBackup } from './restore-backup.ts';
import { takeBackup } from './take-backup.ts';

const ACTOR = 'cli:test';

/** A format-2 dump rewritten as format 1 wrote it: each COPY block's rows as one INSERT statement. */
function asFormat1(dump: string): string {
  const out: string[] = [];
  let target: string | undefined;
  let rows: string[] = [];
  for (const line of dump.split('\n')) {
    const copy = /^COPY (.+) FROM stdin;$/.exec(line);
    if (copy) {
      target = copy[1];
      rows = [];
    } else if (target && line === '\\.') {
      if (rows.length > 0)
        out.push(`INSERT INTO ${target} OVERRIDING SYSTEM VALUE VALUES\n${rows.join(',\n')};`);
      target = undefined;
    } else if (target) rows.push(copyLineToTuple(line));
    else out.push(line);
  }
  return out.join('\n');
}

describeEachBackend('db backup and restore', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let dir: string;
  const snapshot = () => backupDatabase(get().db, get().url).checksums();
  const take = async (label: string) => {
    const taken = await takeBackup({ ctx: t.ctx, input: { label, dir } });
    if (!taken.ok) throw taken.error;
    return taken.value;
  };
  const paymentsCount = async () =>
    Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM payments`.execute(get().db)).rows[0]?.n);

  beforeAll(async () => {
    t = await createTestContext(get());
    await seedBilling(get().db);
    dir = mkdtempSync(join(tmpdir(), 'polaris-backups-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a dump and a manifest whose counts and checksums are the database its rows came from', async () => {
    const taken = await take('before release');
    const m = taken.manifest;
    expect(m.id).toMatch(/^\d{8}T\d{6}Z-before-release$/);
    expect(m.engine).toBe(get().backend === 'pglite' ? 'pglite' : 'postgresql');
    expect(m.schema_version).toBe(m.migrations.at(-1));
    expect(m.tables).toEqual(await snapshot());
    expect(m.tables.find((x) => x.table === 'payments')?.rows).toBe(await paymentsCount());
    expect(readFileSync(taken.dumpPath).length).toBe(m.dump.size);
    expect(m.tables.map((x) => x.table)).not.toContain('polaris_migrations');
  });

  it("keeps an operator's backup as a backup.take audit row, written after the dump and so not in it", async () => {
    const auditRows = () =>
      get()
        .db.selectFrom('audit_log')
        .select(['actor', 'target'])
        .where('action', '=', 'backup.take')
        .execute();
    const before = (await snapshot()).find((x) => x.table === 'audit_log')?.rows;
    const taken = await takeBackup({ ctx: t.ctx, input: { label: 'operator', dir, actor: 'cli:oncall' } });
    if (!taken.ok) throw taken.error;
    expect(await auditRows()).toEqual([{ actor: 'cli:oncall', target: taken.value.manifest.id }]);
    expect(taken.value.manifest.tables.find((x) => x.table === 'audit_log')?.rows).toBe(before);
    await take('no actor');
    expect(await auditRows()).toHaveLength(1);
    await get().db.deleteFrom('audit_log').where('action', '=', 'backup.take').execute();
  });

  it('restores a backup over changed data: every table matches, the modes go back off, a pre-restore backup exists', async () => {
    await resetFlags(get().db);
    const taken = await take('good');
    const expected = await snapshot();
    await get().db.deleteFrom('request_logs').execute();
    await get().db.updateTable('user_profiles').set({ blueprint_creation_count: 7 }).execute();
    let verified = 0;
    const result = await restoreBackup({
      ctx: t.ctx,
      input: {
        id: taken.manifest.id,
        confirmed: true,
        actor: ACTOR,
        dir,
        verify: async (ctx) => {
          verified += 1;
          await ctx.database.ping();
          return { ok: true, failed: [] };
        },
      },
    });
    if (!result.ok) throw result.error;
    expect(result.value.restored).toBe(true);
    expect(result.value.differing).toEqual([]);
    expect(verified).toBe(1);
    expect(result.value.preRestoreBackup).toMatch(/pre-restore/);
    // The data equals the backup, except the flags and audit rows the restore itself wrote after it.
    const after = await snapshot();
    const strip = (list: typeof after) =>
      list.filter((x) => x.table !== 'system_flags' && x.table !== 'audit_log');
    expect(strip(after)).toEqual(strip(expected));
    const flags = await storedFlags(get().db);
    expect(flags.maintenance?.state).toBe('off');
    expect(flags.read_only?.state).toBe('off');
    const audit = await get()
      .db.selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'backup.restore')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('restores a format-1 backup (rows as INSERT statements), as taken before COPY', async () => {
    await resetFlags(get().db);
    const taken = await take('format-1');
    const expected = await snapshot();
    const dump = asFormat1(readFileSync(taken.dumpPath, 'utf8'));
    expect(dump).toMatch(/^INSERT INTO "payments"/m);
    expect(dump).not.toMatch(/^COPY /m);
    writeFileSync(taken.dumpPath, dump);
    const manifest = JSON.parse(readFileSync(taken.manifestPath, 'utf8'));
    manifest.format = 'polaris-backup/1';
    manifest.dump.sha256 = createHash('sha256').update(dump).digest('hex');
    manifest.dump.size = Buffer.byteLength(dump);
    writeFileSync(taken.manifestPath, JSON.stringify(manifest));
    await get().db.deleteFrom('payments').execute();
    const result = await restoreBackup({
      ctx: t.ctx,
      input: { id: taken.manifest.id, confirmed: true, actor: ACTOR, dir },
    });
    if (!result.ok) throw result.error;
    expect(result.value.differing).toEqual([]);
    expect(result.value.restored).toBe(true);
    const strip = (list: typeof expected) =>
      list.filter((x) => x.table !== 'system_flags' && x.table !== 'audit_log');
    expect(strip(await snapshot())).toEqual(strip(expected));
  });

  it('rolls the whole load back when a row of the dump is refused (a dump altered with its manifest)', async () => {
    await resetFlags(get().db);
    const taken = await take('bad-row');
    const text = readFileSync(taken.dumpPath, 'utf8');
    const rows = text.indexOf('\n', text.indexOf('COPY "payments"')) + 1;
    // The first payment's id (a uuid) made unreadable: refused by COPY and by INSERT alike.
    const dump = `${text.slice(0, rows)}not-a-uuid${text.slice(text.indexOf('\t', rows))}`;
    writeFileSync(taken.dumpPath, dump);
    const manifest = JSON.parse(readFileSync(taken.manifestPath, 'utf8'));
    manifest.dump.sha256 = createHash('sha256').update(dump).digest('hex');
    manifest.dump.size = Buffer.byteLength(dump);
    writeFileSync(taken.manifestPath, JSON.stringify(manifest));
    await get().db.deleteFrom('request_logs').execute();
    const before = await snapshot();
    await expect(
      restoreBackup({ ctx: t.ctx, input: { id: taken.manifest.id, confirmed: true, actor: ACTOR, dir } }),
    ).rejects.toThrow(/uuid/);
    const strip = (list: typeof before) =>
      list.filter((x) => x.table !== 'system_flags' && x.table !== 'audit_log');
    expect(strip(await snapshot())).toEqual(strip(before));
    expect((await storedFlags(get().db)).maintenance?.state).toBe('on');
  });

  it('leaves maintenance and read-only on and exits failed when verify fails after the rows are back', async () => {
    await resetFlags(get().db);
    const taken = await take('verify-fails');
    const result = await restoreBackup({
      ctx: t.ctx,
      input: {
        id: taken.manifest.id,
        confirmed: true,
        actor: ACTOR,
        dir,
        verify: async () => ({ ok: false, failed: ['two live subscriptions'] }),
      },
    });
    if (!result.ok) throw result.error;
    expect(result.value.restored).toBe(false);
    expect(result.value.modesLeftOn).toBe(true);
    const flags = await storedFlags(get().db);
    expect(flags.maintenance?.state).toBe('on');
    expect(flags.read_only?.state).toBe('on');
  });

  it('rolls the load back and names the table when a table differs from its manifest', async () => {
    await resetFlags(get().db);
    const taken = await take('differs');
    const manifest = JSON.parse(readFileSync(taken.manifestPath, 'utf8'));
    manifest.tables.find((x: { table: string }) => x.table === 'payments').rows += 1;
    writeFileSync(taken.manifestPath, JSON.stringify(manifest));
    await get().db.deleteFrom('request_logs').execute();
    const before = await snapshot();
    const result = await restoreBackup({
      ctx: t.ctx,
      input: { id: taken.manifest.id, confirmed: true, actor: ACTOR, dir },
    });
    if (!result.ok) throw result.error;
    expect(result.value.restored).toBe(false);
    expect(result.value.differing).toEqual(['payments']);
    // Nothing of the backup was kept: the rows are what they were before, the modes stay on.
    const after = await snapshot();
    expect(after.find((x) => x.table === 'request_logs')).toEqual(
      before.find((x) => x.table === 'request_logs'),
    );
    expect((await storedFlags(get().db)).maintenance?.state).toBe('on');
    // The sequences are where they were: the next audit row (turning the modes off) gets a new id.
    await t.ctx.transaction((repos) =>
      repos.audit.record({ actor: ACTOR, action: 'test.after', target: 'x' }),
    );
  });

  describe('refuses before anything changes', () => {
    const refusal = async (id: string, mutate: (paths: { dump: string; manifest: string }) => void) => {
      await resetFlags(get().db);
      const taken = await take(id);
      mutate({ dump: taken.dumpPath, manifest: taken.manifestPath });
      const before = await snapshot();
      const backupsBefore = (await import('node:fs')).readdirSync(dir).length;
      const result = await restoreBackup({
        ctx: t.ctx,
        input: { id: taken.manifest.id, confirmed: true, actor: ACTOR, dir },
      });
      expect(result.ok).toBe(false);
      expect(await snapshot()).toEqual(before);
      expect((await import('node:fs')).readdirSync(dir).length).toBe(backupsBefore);
      expect((await storedFlags(get().db)).maintenance?.state).toBe('off');
      return (result as { ok: false; error: AppError }).error;
    };

    it('an altered dump (same size, one byte changed)', async () => {
      const error = await refusal('tampered', ({ dump }) => {
        const bytes = readFileSync(dump);
        const at = bytes.lastIndexOf('COPY');
        bytes[at] = 'c'.charCodeAt(0);
        writeFileSync(dump, bytes);
      });
      expect(error.code).toBe('bad_request');
      expect(error.message).toMatch(/sha256 differs/);
    });

    it('a truncated dump', async () => {
      const error = await refusal('truncated', ({ dump }) => truncateSync(dump, 100));
      expect(error.message).toMatch(/truncated/);
    });

    it('a missing dump', async () => {
      const error = await refusal('no-dump', ({ dump }) => rmSync(dump));
      expect(error.code).toBe('not_found');
      expect(error.message).toMatch(/dump .* is missing/);
    });

    it('a missing manifest', async () => {
      const error = await refusal('no-manifest', ({ manifest }) => rmSync(manifest));
      expect(error.code).toBe('not_found');
    });

    it('a manifest that is not JSON', async () => {
      const error = await refusal('bad-manifest', ({ manifest }) => writeFileSync(manifest, '{"id": '));
      expect(error.message).toMatch(/not valid JSON/);
    });

    it('a database at another schema than the backup', async () => {
      const error = await refusal('other-schema', ({ manifest }) => {
        const m = JSON.parse(readFileSync(manifest, 'utf8'));
        m.migrations = m.migrations.slice(0, -1);
        writeFileSync(manifest, JSON.stringify(m));
      });
      expect(error.code).toBe('conflict');
      expect(error.message).toMatch(/bring it to that schema first/);
    });
  });
});
