import { setTimeout as sleep } from 'node:timers/promises';
import { embeddedOwner } from '../adapters/db/embedded.ts';
import { createHttpProbe } from '../adapters/http-probe.ts';
import { createHttpGateway } from '../adapters/razorpay/http-gateway.ts';
import type { Config } from '../config.ts';
import type { CliRuntime } from '../interfaces/cli/runtime.ts';
import { recordSmokeRun } from '../services/smoke/record-smoke-run.ts';
import type { SmokePurchasePort } from '../services/smoke/smoke-report.ts';
import { razorpayBaseUrl } from './context.ts';
import { emulatorControl } from './emulator.ts';

const REAL_RAZORPAY = 'api.razorpay.com';

/** --full's payments: the emulator completes checkout; refunds go through the configured Razorpay API. */
function purchasePort(config: Config): SmokePurchasePort {
  const baseUrl = razorpayBaseUrl(config);
  const { keyId, keySecret } = config.razorpay;
  return {
    keyId,
    payCheckout: async (subscriptionId) => {
      if (new URL(baseUrl).hostname === REAL_RAZORPAY) {
        throw new Error(
          'Razorpay test mode takes a subscription’s first payment only on its Checkout page in a browser; --full pays through the emulator (leave RAZORPAY_API_URL unset, or point it at one)',
        );
      }
      const answer = await emulatorControl(
        config,
        '/_emulator/checkout/complete',
        { subscription_id: subscriptionId, instrument: 'card_success' },
        baseUrl,
      );
      return answer as Record<string, string>;
    },
    refund: async (paymentId) => {
      const gateway = createHttpGateway({ baseUrl, keyId, keySecret });
      const refund = await gateway.createRefund(paymentId, {});
      if (!refund.ok) throw new Error(`refund of ${paymentId}: ${refund.error.message}`);
      return { id: refund.value.id, status: refund.value.status };
    },
  };
}

/** The smoke runtime: HTTP probes, the purchase port, and recording where a database is configured. */
export function smokeRuntime(config: Config, withContext: CliRuntime['withContext']): CliRuntime['smoke'] {
  return {
    account: config.smokeAccount,
    context: (url) => ({
      http: createHttpProbe(url),
      now: () => new Date(),
      elapsedMs: () => performance.now(),
      sleep: (ms) => sleep(ms),
    }),
    purchase: () => purchasePort(config),
    record: async (report) => {
      // Opening the embedded folder just to write one row would create a database; only a served one counts.
      if (config.database.kind === 'embedded' && !embeddedOwner(config.database.dataDir)) {
        return {
          recorded: false,
          reason: `no database configured: DATABASE_URL is unset and no polaris start serves ${config.database.dataDir}`,
        };
      }
      try {
        const row = await withContext((ctx) => recordSmokeRun({ ctx, input: report }));
        return { recorded: true, id: row.id };
      } catch (error) {
        return { recorded: false, reason: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
