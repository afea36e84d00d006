import { cpus, totalmem } from 'node:os';
import { runAlertsBench } from './alerts.ts';
import { runAuthBench } from './auth.ts';
import { runBackupBench } from './backup.ts';
import { runEmbeddedSessionBench } from './embedded-session.ts';
import { runEmulatorBench } from './emulator.ts';
import { runFlagsPropagationBench } from './flags-propagation.ts';
import { runPagesBench } from './pages.ts';
import { runReconcileBench } from './reconcile.ts';
import { runRequestLogBench } from './request-log.ts';
import { runStartupBench } from './startup.ts';
import { runStatusBench } from './status.ts';
import { runVerifyBench } from './verify.ts';
import { runWebhookRetryBench } from './webhook-retry.ts';
import { runWebhookBench } from './webhooks.ts';

/** `npm run bench`: every benchmark in one run, so figures compare against each other on the same noisy machine. */
const benches: Record<string, () => Promise<Record<string, number>>> = {
  startup: runStartupBench,
  emulator: runEmulatorBench,
  webhooks: runWebhookBench,
  auth: runAuthBench,
  'embedded-session': runEmbeddedSessionBench,
  'request-log': runRequestLogBench,
  'flags-propagation': runFlagsPropagationBench,
  'webhook-retry': runWebhookRetryBench,
  reconcile: () => runReconcileBench(),
  verify: () => runVerifyBench(),
  backup: runBackupBench,
  alerts: runAlertsBench,
  status: runStatusBench,
  pages: runPagesBench,
};

const only = process.argv.slice(2);
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`# npm run bench — ${new Date().toISOString()} — ${machine}`);
for (const [name, bench] of Object.entries(benches)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const results = await bench();
  for (const [metric, value] of Object.entries(results)) console.log(`${name}.${metric}\t${value}`);
}
