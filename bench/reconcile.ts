import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import {
  DEFAULT_CONCURRENCY,
  reconcileWithRazorpay,
} from '../src/services/reconcile/reconcile-with-razorpay.ts';
import { contextFor, KEYS, postgresDb } from './support/context.ts';

const DAY = 86_400;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The emulator in a child process (so it does not share the reconcile's event loop), with its controls. */
async function startEmulatorProcess() {
  const child = spawn(
    process.execPath,
    ['bin/run-ts.mjs', 'bench/emulator-process.ts', KEYS.keyId, KEYS.keySecret, '1780000000'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`emulator exited ${code}`)));
  });
  const control = async (path: string, body?: unknown) => {
    const res = await fetch(`${url}/_emulator${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { now?: number };
  };
  let now = (await control('/clock')).now ?? 0;
  return {
    url,
    now: () => now,
    pay: (subscriptionId: string) => control('/checkout/complete', { subscription_id: subscriptionId }),
    advance: async (seconds: number) => {
      now = (await control('/clock/advance', { seconds })).now ?? now;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * `subscriptions` users subscribe and pay on the emulator with no webhook endpoint, a first
 * reconcile --apply records them (timed: the "create from notes" path), a cycle passes unheard,
 * then reconcile finds the renewals (dry run), applies them, and a last run finds nothing. The
 * database is PostgreSQL with production durability; Razorpay is the emulator in its own process,
 * over loopback HTTP.
 */
export async function runReconcileBench(
  subscriptions = 1000,
  concurrency = DEFAULT_CONCURRENCY,
): Promise<Record<string, number>> {
  const emu = await startEmulatorProcess();
  const database = await postgresDb(true, 10);
  const { ctx, db } = await contextFor(database, emu.url, { now: () => new Date(emu.now() * 1000) });
  try {
    const plan = await ctx.gateway.createPlan({
      period: 'monthly',
      interval: 1,
      item: { name: 'Navigator', amount: 349_900, currency: 'INR' },
      notes: { polaris_tier: 'navigator', polaris_cycle: 'monthly' },
    });
    if (!plan.ok) throw plan.error;
    const users = await sql<{ user_id: string }>`INSERT INTO user_profiles (email)
      SELECT 'bench-reconcile-' || i || '@example.com' FROM generate_series(1, ${subscriptions}) AS i
      RETURNING user_id`.execute(db);
    // Setup is not timed: sixteen checkouts at a time.
    const pending = [...users.rows];
    const checkout = async () => {
      for (let user = pending.pop(); user; user = pending.pop()) {
        const sub = await ctx.gateway.createSubscription({
          planId: plan.value.id,
          totalCount: 12,
          notes: { polaris_user_id: user.user_id, polaris_tier: 'navigator', polaris_cycle: 'monthly' },
        });
        if (!sub.ok) throw sub.error;
        await emu.pay(sub.value.id);
      }
    };
    await Promise.all(Array.from({ length: 16 }, checkout));
    const run = async (apply: boolean) => {
      const started = performance.now();
      const report = await reconcileWithRazorpay({ ctx, input: { since: '24h', apply, concurrency } });
      if (report.failure) throw new Error(`reconcile stopped: ${report.failure}`);
      return { seconds: (performance.now() - started) / 1000, report };
    };
    const created = await run(true);
    await emu.advance(31 * DAY);
    const found = await run(false);
    const applied = await run(true);
    const clean = await run(false);
    // A fast wrong answer is no result: every renewal found, applied, and nothing left.
    const renewed = await sql<{ n: string }>`SELECT count(*) AS n FROM subscriptions
      WHERE status = 'active' AND paid_count = 2`.execute(db);
    if (
      created.report.repaired !== 2 * subscriptions ||
      found.report.drift.length !== 2 * subscriptions ||
      applied.report.repaired !== 2 * subscriptions ||
      clean.report.drift.length !== 0 ||
      Number(renewed.rows[0]?.n) !== subscriptions
    ) {
      throw new Error(
        `reconcile bench got wrong results: created ${created.report.repaired}, found ${found.report.drift.length}, applied ${applied.report.repaired}, left ${clean.report.drift.length}, renewed ${renewed.rows[0]?.n}`,
      );
    }
    const round = (s: number) => Math.round(s * 100) / 100;
    return {
      subscriptions,
      concurrency,
      create_from_notes_s: round(created.seconds),
      dry_run_s: round(found.seconds),
      apply_s: round(applied.seconds),
      clean_run_s: round(clean.seconds),
    };
  } finally {
    await db.destroy();
    await database.stop();
    await emu.stop();
  }
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const size = Number(process.argv[2] ?? 1000);
  const results = await runReconcileBench(size, Number(process.argv[3] ?? DEFAULT_CONCURRENCY));
  for (const [k, v] of Object.entries(results)) console.log(`reconcile.${k}\t${v}`);
  process.exit(0);
}
