import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { ServiceContext } from '../services/context.ts';
import { syncPlans } from '../services/plans/sync-plans.ts';
import { ensureDemoAccounts } from '../services/users/ensure-demo-accounts.ts';
import { readDevSecrets } from './context.ts';

/** Development conveniences: plans synced into the emulator and the demo accounts, printed. */
export async function prepareDevelopment(config: Config, ctx: ServiceContext): Promise<string[]> {
  const notes: string[] = [];
  const synced = await syncPlans({ ctx });
  notes.push(
    synced.ok
      ? `  plans:    ${synced.value.plans.length} Razorpay plans synced into the emulator`
      : `  plans:    NOT synced (${synced.error.message}); run npx polaris plans sync`,
  );
  const stored = readDevSecrets(config.dataDir) ?? {};
  const passwords = stored.demoPasswords as { admin: string; user: string } | undefined;
  const accounts = await ensureDemoAccounts({ ctx, input: passwords ? { passwords } : {} });
  const created = Object.fromEntries(accounts.filter((a) => a.password).map((a) => [a.role, a.password]));
  if (!passwords && created.admin && created.user) {
    writeFileSync(
      join(config.dataDir, 'dev-secrets.json'),
      JSON.stringify({ ...stored, demoPasswords: created }),
      { mode: 0o600 },
    );
  }
  for (const a of accounts) {
    notes.push(`  demo ${a.role.padEnd(5)}: ${a.email}  password: ${a.password ?? '(see dev-secrets.json)'}`);
  }
  return notes;
}
