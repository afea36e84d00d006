import type { Kysely } from 'kysely';
import type { SchemaCatalog } from '../../domain/schema-catalog.ts';
import { loadMigrations, type MigrationFile } from './migration-files.ts';
import { Migrator } from './migrator.ts';
import type { Database } from './schema.ts';
import { readSchemaCatalog } from './schema-catalog.ts';

/** Migrates an empty database one migration at a time and reads the catalog each one leaves. */
export async function snapshotEachMigration(
  db: Kysely<Database>,
  files: MigrationFile[] = loadMigrations(),
): Promise<{ name: string; catalog: SchemaCatalog }[]> {
  const noExpected = () => [];
  if ((await new Migrator(db, files, noExpected).status()).some((s) => s.state !== 'pending')) {
    throw new Error('the schema snapshot needs an empty database');
  }
  const steps: { name: string; catalog: SchemaCatalog }[] = [];
  for (let i = 0; i < files.length; i++) {
    const result = await new Migrator(db, files.slice(0, i + 1), noExpected).migrate();
    if (!result.ok) throw result.error;
    steps.push({ name: files[i]!.name, catalog: await readSchemaCatalog(db) });
  }
  return steps;
}
