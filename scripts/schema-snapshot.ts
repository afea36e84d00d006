// `npm run schema:snapshot`: migrates an empty in-memory PGlite one migration at a time and writes
// the catalog each migration leaves to migrations/expected-schema.json (checked by
// src/adapters/db/expected-schema.test.ts on PGlite and PostgreSQL).
import { writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createKysely } from '../src/adapters/db/connection.ts';
import { embeddedUrl, ownConnectionUrl, serveEmbedded } from '../src/adapters/db/embedded.ts';
import { EXPECTED_SCHEMA_PATH, serializeExpectedSchema } from '../src/adapters/db/expected-schema.ts';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { snapshotEachMigration } from '../src/adapters/db/schema-snapshot.ts';

const lite = await PGlite.create();
const port = await findFreePort();
const server = await serveEmbedded(lite, port);
const { db } = createKysely(ownConnectionUrl(embeddedUrl(port)), { max: 1 });
try {
  const steps = await snapshotEachMigration(db);
  writeFileSync(EXPECTED_SCHEMA_PATH, serializeExpectedSchema(steps));
  const objects = Object.keys(steps.at(-1)?.catalog ?? {}).length;
  console.log(`wrote ${EXPECTED_SCHEMA_PATH}: ${steps.length} migrations, ${objects} objects at the last`);
} finally {
  await db.destroy();
  await server.stop();
  await lite.close();
}
