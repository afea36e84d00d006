import type { Repos } from '../../adapters/db/repos.ts';
import { collapseByTable } from '../../domain/schema-catalog.ts';
import { type Check, DATA_CHECKS, SAMPLE_LIMIT, SCHEMA_CHECK } from '../../domain/verify-checks.ts';
import type { ServiceContext } from '../context.ts';
import { getMigrationStatus } from '../db/get-migration-status.ts';

/** The tables the data checks read; without one of them they cannot run. */
const CHECKED_TABLES = [
  'user_profiles',
  'subscriptions',
  'payments',
  'razorpay_plans',
  'blueprints',
  'razorpay_webhook_events',
];

/**
 * The schema check: what the applied migrations promise (DESIGN §6's tables, columns, functions
 * and triggers among them) missing or changed, and migrations not applied, through the one
 * comparison `db status` makes.
 */
export async function checkSchemaPromises(ctx: Pick<ServiceContext, 'migrations'>): Promise<Check> {
  const status = await getMigrationStatus({ ctx });
  const { schema } = status;
  if (schema.migration === null) {
    return { ...SCHEMA_CHECK, count: 1, sampleIds: ['no migration applied: run polaris db migrate'] };
  }
  const problems = [
    ...(schema.problem ? [schema.problem] : []),
    ...collapseByTable(schema.missing).map((key) => `missing ${key}`),
    ...schema.changed.map((key) => `changed ${key}`),
    ...status.migrations.filter((m) => m.state !== 'applied').map((m) => `${m.state} migration ${m.name}`),
  ];
  return { ...SCHEMA_CHECK, count: problems.length, sampleIds: problems.slice(0, SAMPLE_LIMIT) };
}

/** Runs every data check in the caller's transaction; when their tables are missing, each is marked skipped. */
export async function runDataChecks(repos: Repos): Promise<Check[]> {
  const missing = await repos.verify.missingTables(CHECKED_TABLES);
  const checks: Check[] = [];
  for (const { name, title, severity, hint } of DATA_CHECKS) {
    const check = { name, title, severity, hint };
    if (missing.length > 0) {
      checks.push({ ...check, count: 0, sampleIds: [], skipped: `missing tables: ${missing.join(', ')}` });
    } else {
      checks.push({ ...check, ...(await repos.verify.find(name)) });
    }
  }
  return checks;
}
