import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEmulator } from '../src/emulator/create-emulator.ts';
import { retryWebhookEvents } from '../src/services/webhooks/retry-webhook-events.ts';
import { contextFor, KEYS, pgliteDb, postgresDb } from './support/context.ts';
import { emulatorEvents, expectBillingApplied } from './webhooks.ts';

const CHUNK = 500;

// The emulator's real events of 400 subscribers (pay, renew once), all parked as failed as after an
// API outage, then `webhooks retry --failed --yes` as one call, checked by the billing rows it leaves.
async function runOn(kind: 'postgres' | 'pglite'): Promise<Record<string, number>> {
  const emu = createEmulator({ keyId: KEYS.keyId, keySecret: KEYS.keySecret, clock: 1_780_000_000 });
  const emuServer = await emu.listen(0);
  const database = kind === 'pglite' ? await pgliteDb() : await postgresDb(true);
  const { ctx, db } = await contextFor(database, emuServer.url);
  try {
    const events = await emulatorEvents(ctx, db, emu);
    for (let i = 0; i < events.length; i += CHUNK) {
      const rows = events.slice(i, i + CHUNK).map((e) => ({
        event_id: e.id,
        event_type: JSON.parse(e.body).event as string,
        payload: e.body,
        processing_status: 'failed' as const,
        attempts: 8,
        error_message: 'unavailable: Razorpay answered 503 (bench)',
      }));
      await db.insertInto('razorpay_webhook_events').values(rows).execute();
    }
    const started = performance.now();
    const report = await retryWebhookEvents({
      ctx,
      input: { failed: true, confirmed: true, actor: 'bench' },
    });
    const seconds = (performance.now() - started) / 1000;
    if (!report.confirmed || !report.ok) throw new Error('the retry left events unprocessed');
    await expectBillingApplied(db);
    return {
      [`${kind}.retried_events`]: report.outcomes.length,
      [`${kind}.retry_seconds`]: Math.round(seconds * 100) / 100,
      [`${kind}.retried_per_s`]: Math.round(report.outcomes.length / seconds),
    };
  } finally {
    await db.destroy();
    await database.stop();
    await emu.close();
  }
}

/** `webhooks retry --failed` throughput: one CLI process replaying parked events through the processor. */
export async function runWebhookRetryBench(): Promise<Record<string, number>> {
  return { ...(await runOn('postgres')), ...(await runOn('pglite')) };
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const results = await runWebhookRetryBench();
  for (const [k, v] of Object.entries(results)) console.log(`webhook-retry.${k}\t${v}`);
  process.exit(0);
}
