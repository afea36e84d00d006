import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import {
  type Backend,
  migrateTestDatabase,
  openTestDatabase,
  type TestDatabase,
} from '../../../test/support/databases.ts';
import { seedBilling } from '../../../test/support/seed.ts';
import { backupDatabase } from '../../adapters/db/backups.ts';
import { restoreBackup } from './restore-backup.ts';
import { takeBackup } from './take-backup.ts';

// Values whose text forms could differ or break a statement splitter: quotes, backslashes, newlines, semicolons.
const AWKWARD = `it's; a "path"\\with\nnewlines; and ''quotes'' -- not a comment`;

async function seedAwkward(db: TestDatabase['db']) {
  await seedBilling(db);
  await db
    .insertInto('razorpay_webhook_events')
    .values({
      event_id: 'evt_awkward_0001',
      event_type: 'payment.captured',
      account_id: 'acc_BFQ7uQEaa7j2z7',
      payload: JSON.stringify({ note: AWKWARD, amount: 1.5, nested: { list: [1, null, 'x'] } }),
      processing_status: 'failed',
      error_message: AWKWARD,
    })
    .execute();
}

const DIRECTIONS: [Backend, Backend][] = [
  ['pglite', 'postgres'],
  ['postgres', 'pglite'],
];

for (const [from, to] of DIRECTIONS) {
  describe(`a backup of ${from} restores into ${to}`, () => {
    let source: TestDatabase;
    let target: TestDatabase;
    let dir: string;
    beforeAll(async () => {
      [source, target] = await Promise.all([openTestDatabase(from), openTestDatabase(to)]);
      await migrateTestDatabase(source.db);
      // The target stays empty: restore migrates it to the backup's schema first.
      await seedAwkward(source.db);
      dir = mkdtempSync(join(tmpdir(), 'polaris-cross-'));
    });
    afterAll(async () => {
      await Promise.all([source?.close(), target?.close()]);
      rmSync(dir, { recursive: true, force: true });
    });

    it('with every table equal, the awkward values included', async () => {
      const s = await createTestContext(source);
      const t = await createTestContext(target);
      try {
        const taken = await takeBackup({ ctx: s.ctx, input: { label: `from ${from}`, dir } });
        if (!taken.ok) throw taken.error;
        const result = await restoreBackup({
          ctx: t.ctx,
          input: { id: taken.value.manifest.id, confirmed: true, actor: 'cli:test', dir },
        });
        if (!result.ok) throw result.error;
        expect(result.value.differing).toEqual([]);
        expect(result.value.restored).toBe(true);
        const strip = (list: { table: string }[]) =>
          list.filter((x) => x.table !== 'system_flags' && x.table !== 'audit_log');
        expect(strip(await backupDatabase(target.db, target.url).checksums())).toEqual(
          strip(taken.value.manifest.tables),
        );
        const event = await target.db
          .selectFrom('razorpay_webhook_events')
          .select(['error_message', 'payload'])
          .where('event_id', '=', 'evt_awkward_0001')
          .executeTakeFirstOrThrow();
        expect(event.error_message).toBe(AWKWARD);
      } finally {
        await Promise.all([s.close(), t.close()]);
      }
    });
  });
}
