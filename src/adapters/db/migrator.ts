import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql, type Transaction } from 'kysely';
import { AppError, type Result } from '../../domain/errors.ts';
import type { Database } from './schema.ts';

/** The folder of plain SQL migrations shipped with Polaris. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

/** One migration: NNNN_name.up.sql and NNNN_name.down.sql. */
export type MigrationFile = { name: string; up: string; down: string; checksum: string };

/** A migration as seen from files and database together. */
export type MigrationState = {
  name: string;
  state: 'applied' | 'pending' | 'changed' | 'missing';
  appliedAt: Date | null;
};

const FILE_PATTERN = /^(\d{4}_[a-z0-9_]+)\.(up|down)\.sql$/;
// Any fixed key works; both migrators of a deployment must agree on it.
const LOCK_KEY = 7_357_001;

/** Reads the migration folder; a missing down file or a stray name is an error. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  const parts = new Map<string, { up?: string; down?: string }>();
  for (const file of readdirSync(dir).sort()) {
    const match = FILE_PATTERN.exec(file);
    if (!match) {
      if (file.endsWith('.sql'))
        throw new Error(`migrations/${file}: name must be NNNN_name.up.sql or .down.sql`);
      continue;
    }
    const [, name, direction] = match as unknown as [string, string, 'up' | 'down'];
    const entry = parts.get(name) ?? {};
    entry[direction] = readFileSync(join(dir, file), 'utf8');
    parts.set(name, entry);
  }
  return [...parts.entries()].map(([name, { up, down }]) => {
    if (up === undefined || down === undefined) {
      throw new Error(`migrations/${name}: both ${name}.up.sql and ${name}.down.sql are required`);
    }
    return { name, up, down, checksum: createHash('sha256').update(up).digest('hex') };
  });
}

async function ensureTable(trx: Transaction<Database>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS polaris_migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(trx);
}

type Applied = { name: string; checksum: string; applied_at: Date };

async function readApplied(db: Kysely<Database> | Transaction<Database>): Promise<Applied[] | undefined> {
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('polaris_migrations')::text AS t`.execute(
    db,
  );
  if (!exists.rows[0]?.t) return undefined;
  return db.selectFrom('polaris_migrations').selectAll().orderBy('name').execute();
}

function compare(files: MigrationFile[], applied: Applied[]): MigrationState[] {
  const byName = new Map(applied.map((a) => [a.name, a]));
  const states: MigrationState[] = files.map((f) => {
    const row = byName.get(f.name);
    if (!row) return { name: f.name, state: 'pending', appliedAt: null };
    return {
      name: f.name,
      state: row.checksum === f.checksum ? 'applied' : 'changed',
      appliedAt: row.applied_at,
    };
  });
  for (const row of applied) {
    if (!files.some((f) => f.name === row.name)) {
      states.push({ name: row.name, state: 'missing', appliedAt: row.applied_at });
    }
  }
  return states.sort((a, b) => a.name.localeCompare(b.name));
}

function refuseDrift(states: MigrationState[]): AppError | undefined {
  const changed = states.find((s) => s.state === 'changed');
  if (changed) {
    return new AppError(
      'migration_failed',
      `migrations/${changed.name}.up.sql was edited after it was applied (checksum differs); restore it and add a new migration instead`,
    );
  }
  const missing = states.find((s) => s.state === 'missing');
  if (missing) {
    return new AppError('migration_failed', `migration ${missing.name} is applied but its files are missing`);
  }
  return undefined;
}

function failure(name: string, direction: string, error: unknown): AppError {
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('migration_failed', `migrations/${name}.${direction}.sql failed: ${message}`);
}

/** Applies and rolls back plain SQL migrations under a transaction-scoped advisory lock. */
export class Migrator {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly files: MigrationFile[] = loadMigrations(),
  ) {}

  /** Every migration with its state; never changes anything. */
  async status(): Promise<MigrationState[]> {
    return compare(this.files, (await readApplied(this.db)) ?? []);
  }

  /** Applies every pending migration in one transaction; all or nothing. */
  async migrate(): Promise<Result<{ applied: string[] }>> {
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
      return { applied: pending.map((f) => f.name) };
    });
  }

  /** Rolls back every migration after `target` (a name, its NNNN prefix, or "0" for all), newest first. */
  async rollback(target: string): Promise<Result<{ rolledBack: string[] }>> {
    const keepIndex = this.resolveTarget(target);
    if (keepIndex === undefined) {
      const known = this.files.map((f) => f.name).join(', ');
      return {
        ok: false,
        error: new AppError('bad_request', `unknown migration "${target}"; known: 0, ${known}`),
      };
    }
    return this.locked(async (trx, states) => {
      const applied = new Set(states.filter((s) => s.state === 'applied').map((s) => s.name));
      const toUndo = this.files
        .slice(keepIndex + 1)
        .filter((f) => applied.has(f.name))
        .reverse();
      for (const file of toUndo) {
        try {
          await sql.raw(file.down).execute(trx);
        } catch (error) {
          throw failure(file.name, 'down', error);
        }
        await trx.deleteFrom('polaris_migrations').where('name', '=', file.name).execute();
      }
      return { rolledBack: toUndo.map((f) => f.name) };
    });
  }

  private resolveTarget(target: string): number | undefined {
    if (target === '0') return -1;
    const index = this.files.findIndex((f) => f.name === target || f.name.split('_')[0] === target);
    return index === -1 ? undefined : index;
  }

  private async locked<T>(
    work: (trx: Transaction<Database>, states: MigrationState[]) => Promise<T>,
  ): Promise<Result<T>> {
    try {
      const value = await this.db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
        await ensureTable(trx);
        const states = compare(this.files, (await readApplied(trx)) ?? []);
        const drift = refuseDrift(states);
        if (drift) throw drift;
        return work(trx, states);
      });
      return { ok: true, value };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error };
      throw error;
    }
  }
}
