import { type Kysely, sql, type Transaction } from 'kysely';
import { AppError, type Result } from '../../domain/errors.ts';
import type { ExpectedStep, SchemaCatalog } from '../../domain/schema-catalog.ts';
import { createAuditRepo } from './audit-repo.ts';
import { loadExpectedSchema } from './expected-schema.ts';
import {
  type AppliedMigration,
  irreconcilable,
  loadMigrations,
  type MigrationFile,
  type MigrationState,
  migrationGroup,
  migrationStates,
} from './migration-files.ts';
import type { Database } from './schema.ts';
import { countTableRows, readSchemaCatalog } from './schema-catalog.ts';

export {
  loadMigrations,
  MIGRATIONS_DIR,
  type MigrationFile,
  type MigrationState,
} from './migration-files.ts';

// Any fixed key works; both migrators of a deployment must agree on it.
const LOCK_KEY = 7_357_001;

/**
 * Who asked for a migrate or rollback; with an actor, the change writes an audit_log row, with
 * `details` (e.g. the backup taken first) beside what it applied or undid.
 */
export type MigrationActor = { actor?: string; details?: Record<string, unknown> };

/** The migrations a rollback to `keep` would undo, newest first; `keep` is null for `{ only }`. */
export type RollbackPlan = { keep: string | null; undo: string[] };

/**
 * What to roll back: every migration after a kept one (its name, its NNNN number, or "0" for all),
 * or exactly the named applied migrations, each with everything applied after it in its group.
 */
export type RollbackTarget = string | { only: string[] };

async function ensureTable(trx: Transaction<Database>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS polaris_migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(trx);
}

async function tableExists(db: Kysely<Database> | Transaction<Database>, name: string): Promise<boolean> {
  const found = await sql<{ t: string | null }>`SELECT to_regclass(${name})::text AS t`.execute(db);
  return Boolean(found.rows[0]?.t);
}

async function readApplied(db: Kysely<Database> | Transaction<Database>): Promise<AppliedMigration[]> {
  if (!(await tableExists(db, 'polaris_migrations'))) return [];
  return db.selectFrom('polaris_migrations').selectAll().orderBy('name').execute();
}

function failure(name: string, direction: string, error: unknown): AppError {
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('migration_failed', `migrations/${name}.${direction}.sql failed: ${message}`);
}

/** Applies and rolls back plain SQL migrations under a transaction-scoped advisory lock. */
export class Migrator {
  private expected: ExpectedStep[] | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly files: MigrationFile[] = loadMigrations(),
    private readonly loadExpected: () => ExpectedStep[] = loadExpectedSchema,
  ) {}

  /** Every migration with its state; never changes anything. */
  async status(): Promise<MigrationState[]> {
    return migrationStates(this.files, await readApplied(this.db));
  }

  /** Applies every pending migration in one transaction; all or nothing. */
  async migrate(options: MigrationActor = {}): Promise<Result<{ applied: string[] }>> {
    return this.locked(async (trx, states) => {
      const pending = this.files.filter((f) => states.find((s) => s.name === f.name)?.state === 'pending');
      for (const file of pending) {
        try {
          await sql.raw(file.up).execute(trx);
        } catch (error) {
          throw failure(file.name, 'up', error);
        }
        await trx
          .insertInto('polaris_migrations')
          .values({ name: file.name, checksum: file.checksum })
          .execute();
      }
      const applied = pending.map((f) => f.name);
      if (options.actor !== undefined && (await tableExists(trx, 'audit_log'))) {
        const at = (await readApplied(trx)).at(-1)?.name ?? '0';
        await createAuditRepo(trx).record({
          actor: options.actor,
          action: 'db.migrate',
          target: at,
          details: { applied },
        });
      }
      return { applied };
    });
  }

  /**
   * Rolls back every migration after `target` (a name, its NNNN prefix, a number to keep everything
   * numbered up to it, or "0" for all), or exactly `{ only }`, newest first. `audited` is false
   * when the rollback dropped audit_log itself.
   */
  async rollback(
    target: RollbackTarget,
    options: MigrationActor = {},
  ): Promise<Result<{ rolledBack: string[]; audited: boolean }>> {
    if (typeof target === 'string' && this.resolveTarget(target) === undefined) {
      return { ok: false, error: this.unknownTarget(target) };
    }
    return this.locked(async (trx, states) => {
      const plan = this.resolvePlan(target, states);
      if (!plan.ok) throw plan.error;
      const toUndo = plan.value.undo;
      for (const name of toUndo) {
        const file = this.files.find((f) => f.name === name)!;
        try {
          await sql.raw(file.down).execute(trx);
        } catch (error) {
          throw failure(file.name, 'down', error);
        }
        await trx.deleteFrom('polaris_migrations').where('name', '=', file.name).execute();
      }
      let audited = false;
      if (options.actor !== undefined && (await tableExists(trx, 'audit_log'))) {
        await createAuditRepo(trx).record({
          actor: options.actor,
          action: 'db.rollback',
          target: typeof target === 'string' ? (plan.value.keep ?? '0') : `only ${toUndo.join(',')}`,
          details: { rolledBack: toUndo, ...options.details },
        });
        audited = true;
      }
      return { rolledBack: toUndo, audited };
    });
  }

  /** What rollback(target) would undo now, without changing anything. */
  async planRollback(target: RollbackTarget): Promise<Result<RollbackPlan>> {
    if (typeof target === 'string' && this.resolveTarget(target) === undefined) {
      return { ok: false, error: this.unknownTarget(target) };
    }
    const states = await this.status();
    const problem = irreconcilable(states);
    if (problem) return { ok: false, error: new AppError('migration_failed', problem) };
    return this.resolvePlan(target, states);
  }

  /** The committed catalog each migration must leave (migrations/expected-schema.json), in order. */
  expectedSchema(): ExpectedStep[] {
    this.expected ??= this.loadExpected();
    return this.expected;
  }

  /** The database's own catalog of the public schema, as read now. */
  readSchema(): Promise<SchemaCatalog> {
    return readSchemaCatalog(this.db);
  }

  /** Exact row counts of the named tables (null for a table that does not exist). */
  countRows(tables: string[]): Promise<Record<string, number | null>> {
    return countTableRows(this.db, tables);
  }

  private resolvePlan(target: RollbackTarget, states: MigrationState[]): Result<RollbackPlan> {
    if (typeof target !== 'string') return this.planOnly(target.only, states);
    const keepIndex = this.resolveTarget(target);
    if (keepIndex === undefined) return { ok: false, error: this.unknownTarget(target) };
    return {
      ok: true,
      value: { keep: this.files[keepIndex]?.name ?? null, undo: this.undoList(keepIndex, states) },
    };
  }

  // Each named migration must be applied, and whatever its group applied after it goes too: a
  // group is linear (a later migration may build on an earlier one), the two groups are not.
  private planOnly(names: string[], states: MigrationState[]): Result<RollbackPlan> {
    const applied = new Set(states.filter((s) => s.state === 'applied').map((s) => s.name));
    const chosen = new Set<string>();
    for (const name of names) {
      const file = this.files.find((f) => f.name === name || f.name.split('_')[0] === name);
      if (!file) return { ok: false, error: this.unknownTarget(name) };
      if (!applied.has(file.name)) {
        return {
          ok: false,
          error: new AppError('bad_request', `${file.name} is not applied; nothing to undo`),
        };
      }
      chosen.add(file.name);
    }
    if (chosen.size === 0)
      return { ok: false, error: new AppError('bad_request', 'name at least one migration') };
    for (const name of chosen) {
      const later = this.files
        .filter(
          (f) => f.name > name && applied.has(f.name) && migrationGroup(f.name) === migrationGroup(name),
        )
        .map((f) => f.name)
        .filter((n) => !chosen.has(n));
      if (later.length > 0) {
        const problem = `undoing ${name} needs ${later.join(', ')} undone too: applied after it in its group (docs/adr/0005-migration-groups.md)`;
        return { ok: false, error: new AppError('bad_request', problem) };
      }
    }
    const undo = this.files
      .filter((f) => chosen.has(f.name))
      .map((f) => f.name)
      .reverse();
    return { ok: true, value: { keep: null, undo } };
  }

  private undoList(keepIndex: number, states: MigrationState[]): string[] {
    const applied = new Set(states.filter((s) => s.state === 'applied').map((s) => s.name));
    return this.files
      .slice(keepIndex + 1)
      .filter((f) => applied.has(f.name))
      .map((f) => f.name)
      .reverse();
  }

  private unknownTarget(target: string): AppError {
    const known = this.files.map((f) => f.name).join(', ');
    return new AppError('bad_request', `unknown migration "${target}"; known: 0, ${known}`);
  }

  // A name, its NNNN prefix, or a number no file has: keep every migration numbered up to it
  // (`0099` keeps everything below the billing group at 0100, whatever was added there since).
  private resolveTarget(target: string): number | undefined {
    if (target === '0') return -1;
    const index = this.files.findIndex((f) => f.name === target || f.name.split('_')[0] === target);
    if (index !== -1) return index;
    if (!/^\d{4}$/.test(target)) return undefined;
    const below = this.files.filter((f) => (f.name.split('_')[0] ?? '') <= target);
    return below.length === 0 ? undefined : below.length - 1;
  }

  private async locked<T>(
    work: (trx: Transaction<Database>, states: MigrationState[]) => Promise<T>,
  ): Promise<Result<T>> {
    try {
      const value = await this.db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
        await ensureTable(trx);
        const states = migrationStates(this.files, await readApplied(trx));
        const problem = irreconcilable(states);
        if (problem) throw new AppError('migration_failed', problem);
        return work(trx, states);
      });
      return { ok: true, value };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error };
      throw error;
    }
  }
}
