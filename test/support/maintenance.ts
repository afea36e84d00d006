import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Database } from '../../src/adapters/db/schema.ts';
import type { NotificationRequest, Notify } from '../../src/domain/notifications.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { createTestContext } from './context.ts';
import type { TestDatabase } from './databases.ts';
import { resetFlags } from './flags.ts';

/** The audit rows maintenance windows wrote (theirs and the maintenance flag's), oldest first. */
export function maintenanceAuditRows(db: Kysely<Database>) {
  return db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'target', 'reason', 'details'])
    .where((eb) => eb.or([eb('action', 'like', 'maintenance.%'), eb('action', 'like', 'flag.%')]))
    .orderBy('id')
    .execute();
}

/** Forgets every maintenance window and the audit rows of windows and flags (between tests). */
export async function resetMaintenance(db: Kysely<Database>) {
  await db.deleteFrom('maintenance_windows').execute();
  await db.deleteFrom('audit_log').where('action', 'like', 'maintenance.%').execute();
}

/**
 * A Notify that records each request and, like the outbox, queues a key only once; `fail` makes
 * the next calls throw (an outbox that cannot be written).
 */
export function recordingNotify() {
  const requests: NotificationRequest[] = [];
  const keys = new Set<string>();
  const state = { fail: false };
  const notify: Notify = async (request) => {
    if (state.fail) throw new Error('outbox unavailable');
    requests.push(request);
    if (keys.has(request.key)) return { queued: 0 };
    keys.add(request.key);
    return { queued: 3 };
  };
  return { notify, requests, state };
}

/**
 * Registers a suite's hooks: a test context whose clock the test sets (`at`), windows, their
 * audit rows and the flags reset before each test, back at `start`.
 */
export function useMaintenanceContext(get: () => TestDatabase, start: number) {
  const state = { clock: start, ctx: undefined as unknown as ServiceContext };
  let t: Awaited<ReturnType<typeof createTestContext>> | undefined;
  beforeAll(async () => {
    t = await createTestContext(get());
    state.ctx = { ...t.ctx, now: () => new Date(state.clock) };
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    state.clock = start;
    await resetMaintenance(get().db);
    await resetFlags(get().db);
  });
  return state;
}
