import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** A row of polaris_migrations. */
export type AppliedMigration = { name: string; checksum: string; applied_at: Date };

const FILE_PATTERN = /^(\d{4}_[a-z0-9_]+)\.(up|down)\.sql$/;

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

/** A migration's group (docs/adr/0005-migration-groups.md): billing from 0100, everything else below. */
export function migrationGroup(name: string): 'billing' | 'other' {
  return name >= '0100' ? 'billing' : 'other';
}

/** Each migration's state, from the files and the rows of polaris_migrations. */
export function migrationStates(files: MigrationFile[], applied: AppliedMigration[]): MigrationState[] {
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

/**
 * Why the files and the database cannot be reconciled, or undefined. Missing files come first:
 * a database migrated by an older Polaris (renumbered migrations) also shows edited ones.
 */
export function irreconcilable(states: MigrationState[]): string | undefined {
  const missing = states.filter((s) => s.state === 'missing').map((s) => s.name);
  if (missing.length > 0) {
    return (
      `polaris_migrations records ${missing.join(', ')} as applied, but migrations/ has no such file: ` +
      'this database was migrated by another version of Polaris (the migrations were renumbered before ' +
      'the first release). In development, stop the server, delete the data folder (POLARIS_DATA_DIR, ' +
      './.polaris by default) or drop the database, and start again; otherwise run the Polaris version ' +
      'that migrated it'
    );
  }
  const changed = states.find((s) => s.state === 'changed');
  if (changed) {
    return `migrations/${changed.name}.up.sql was edited after it was applied (checksum differs); restore it and add a new migration instead`;
  }
  return undefined;
}
