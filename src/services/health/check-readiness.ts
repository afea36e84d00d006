import { describeFlags } from '../../domain/flags.ts';
import type { ServiceContext } from '../context.ts';
import { describeDrift } from '../db/check-schema.ts';
import { getMigrationStatus } from '../db/get-migration-status.ts';
import { getFlags } from '../flags/get-flags.ts';

/** One readiness check: ok, and a short detail that never contains a secret. */
export type Check = { ok: boolean; detail: string };
export type Readiness = { ok: boolean; checks: Record<string, Check> };

const PING_TIMEOUT_MS = 2_000;
// Reading the catalog takes a few queries; probes every second or so reuse one answer this long.
const SCHEMA_MAX_AGE_MS = 5_000;

type SchemaStatus = Awaited<ReturnType<typeof getMigrationStatus>>;
const schemaCache = new WeakMap<object, { at: number; value: Promise<SchemaStatus> }>();

/** Rejects when `promise` has not settled within `ms`; the promise itself runs on. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** The migration and schema status, at most SCHEMA_MAX_AGE_MS old; a failed read is not kept. */
function cachedStatus(ctx: Pick<ServiceContext, 'migrations'>): Promise<SchemaStatus> {
  // A monotonic clock, not ctx.now: this is a cache age, and tests freeze the business clock.
  const now = performance.now();
  const hit = schemaCache.get(ctx.migrations);
  if (hit && now - hit.at < SCHEMA_MAX_AGE_MS) return hit.value;
  const entry = { at: now, value: getMigrationStatus({ ctx }) };
  schemaCache.set(ctx.migrations, entry);
  entry.value.catch(() => {
    if (schemaCache.get(ctx.migrations) === entry) schemaCache.delete(ctx.migrations);
  });
  return entry.value;
}

function migrationsCheck(status: SchemaStatus): Check {
  const applied = status.migrations.filter((s) => s.state === 'applied').length;
  const broken = status.migrations.filter((s) => s.state === 'changed' || s.state === 'missing');
  if (broken.length > 0) {
    return { ok: false, detail: broken.map((s) => `${s.name} ${s.state}`).join(', ') };
  }
  const pending = status.migrations.filter((s) => s.state === 'pending').map((s) => s.name);
  if (pending.length === 0) return { ok: true, detail: `${applied} applied` };
  if (applied === 0) return { ok: false, detail: 'no migration applied; run polaris db migrate' };
  // A rolled-back billing still serves accounts and blueprints; `db status` exits 1 meanwhile.
  return { ok: true, detail: `${applied} applied; pending (their features fail): ${pending.join(', ')}` };
}

// A mode is not unreadiness: the instance serves what the mode allows. Unreadable flags are,
// since then no write can be allowed or refused.
async function flagsCheck(ctx: Pick<ServiceContext, 'flags' | 'settings' | 'now'>): Promise<Check> {
  try {
    return { ok: true, detail: describeFlags(await withTimeout(getFlags({ ctx }), PING_TIMEOUT_MS)) };
  } catch (error) {
    return { ok: false, detail: `cannot be read: ${error instanceof Error ? error.message : 'unknown'}` };
  }
}

/**
 * Whether this instance can serve: the database answers, its migration history matches the files,
 * and the objects its last applied migration must leave exist (cached for a few seconds). The
 * flags check names the active modes and which source decided payments (env or stored).
 */
export async function checkReadiness({
  ctx,
}: {
  ctx: Pick<ServiceContext, 'database' | 'migrations' | 'flags' | 'settings' | 'now'>;
}): Promise<Readiness> {
  const checks: Record<string, Check> = {};
  try {
    await withTimeout(ctx.database.ping(), PING_TIMEOUT_MS);
    checks.database = { ok: true, detail: `${ctx.database.kind} reachable` };
  } catch (error) {
    checks.database = { ok: false, detail: error instanceof Error ? error.message : 'unreachable' };
  }
  if (checks.database.ok) {
    try {
      const status = await withTimeout(cachedStatus(ctx), PING_TIMEOUT_MS);
      checks.migrations = migrationsCheck(status);
      checks.schema = status.schema.ok
        ? { ok: true, detail: `matches ${status.schema.migration ?? 'an empty database'}` }
        : { ok: false, detail: describeDrift(status.schema) };
    } catch (error) {
      const detail = error instanceof Error ? error.message : 'unknown';
      checks.migrations = { ok: false, detail };
      checks.schema = { ok: false, detail };
    }
  } else {
    checks.migrations = { ok: false, detail: 'database unreachable' };
    checks.schema = { ok: false, detail: 'database unreachable' };
  }
  checks.flags = checks.database.ok ? await flagsCheck(ctx) : { ok: false, detail: 'database unreachable' };
  return { ok: Object.values(checks).every((c) => c.ok), checks };
}
