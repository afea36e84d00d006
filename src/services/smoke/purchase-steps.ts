import type { HttpProbe } from '../../adapters/http-probe.ts';
import {
  getJson,
  type SmokeAccount,
  type SmokeContext,
  type SmokePurchasePort,
  type SmokeStep,
  StepFailure,
  StepSkipped,
} from './smoke-report.ts';
import { openSmokeSession, type SmokeSession } from './smoke-session.ts';

/** How long --full waits for the instance to show a payment or a refund (webhooks are asynchronous). */
export const PURCHASE_WAIT_MS = 60_000;
const POLL_MS = 250;

type Purchase = {
  session?: SmokeSession;
  subscriptionId?: string;
  razorpayPaymentId?: string;
  cancelled?: boolean;
};

type PublicPlan = { tier: string; purchasable: boolean; perSeat: boolean; pricePaise: { monthly: number } };
// biome-ignore lint/suspicious/noExplicitAny: the instance's JSON is read loosely and checked field by field.
type Json = Record<string, any>;

const pass = (detail: string) => ({ status: 'pass' as const, detail });
const rupees = (paise: number) => `₹${(paise / 100).toFixed(2)}`;

async function cheapestPlan(http: HttpProbe): Promise<PublicPlan> {
  const { body } = await getJson(http, '/api/plans');
  const plans = ((body.plans ?? []) as PublicPlan[]).filter((p) => p.purchasable && !p.perSeat);
  const cheapest = plans.sort((a, b) => a.pricePaise.monthly - b.pricePaise.monthly)[0];
  if (!cheapest) throw new StepFailure('GET /api/plans lists no purchasable single-seat plan');
  return cheapest;
}

async function json(session: SmokeSession, method: 'GET' | 'POST', path: string, body?: unknown) {
  const answer = await session.request(method, path, body);
  let parsed: Json = {};
  try {
    parsed = JSON.parse(answer.text) as Json;
  } catch {
    // Reported through the status below; the body is not needed then.
  }
  return { status: answer.status, body: parsed, text: answer.text.slice(0, 300) };
}

/** Polls `probe` until it returns a value, or fails naming what it waited for. */
async function waitFor<T>(ctx: SmokeContext, what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = ctx.elapsedMs() + PURCHASE_WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (ctx.elapsedMs() > deadline)
      throw new StepFailure(`${what} not seen within ${PURCHASE_WAIT_MS / 1000} s`);
    await ctx.sleep(POLL_MS);
  }
}

function needs<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new StepSkipped(`not run: ${what}`);
  return value;
}

/**
 * --full: the smoke account buys the cheapest single-seat plan, pays through the port (test card),
 * sees it active with a captured payment, then cancels it now and refunds the payment in full. The
 * cancel step runs whenever a subscription was created, so a failed run leaves nothing live.
 */
export function purchaseSteps(
  ctx: SmokeContext,
  input: { origin: string; account: SmokeAccount; purchase: SmokePurchasePort },
): SmokeStep[] {
  const bought: Purchase = {};
  const { http } = ctx;
  return [
    {
      name: 'purchase: checkout',
      run: async () => {
        const plan = await cheapestPlan(http);
        bought.session = await openSmokeSession(http, input.origin, input.account);
        const res = await json(bought.session, 'POST', '/api/subscriptions', {
          tier: plan.tier,
          cycle: 'monthly',
        });
        if (res.status !== 201 && res.status !== 200) {
          throw new StepFailure(`POST /api/subscriptions answered ${res.status}: ${res.text}`);
        }
        const checkout = res.body.checkout as Json | null;
        if (!checkout) {
          throw new StepFailure(
            `the smoke account already has a live subscription (${res.body.outcome}); cancel it first`,
          );
        }
        bought.subscriptionId = String(checkout.subscription_id);
        if (String(checkout.key).startsWith('rzp_live_')) {
          throw new StepFailure(
            'the instance checks out with a live key (rzp_live_): nothing paid, refusing to go on',
          );
        }
        return pass(
          `${plan.tier} monthly (${rupees(plan.pricePaise.monthly)}): checkout ${bought.subscriptionId}`,
        );
      },
    },
    {
      name: 'purchase: pay and verify',
      run: async () => {
        const session = needs(bought.session, 'no checkout');
        const subscriptionId = needs(bought.subscriptionId, 'no checkout');
        const handler = await input.purchase.payCheckout(subscriptionId);
        const res = await json(session, 'POST', '/api/subscriptions/verify', handler);
        if (res.status !== 200)
          throw new StepFailure(`POST /api/subscriptions/verify answered ${res.status}: ${res.text}`);
        const active = await waitFor(ctx, 'the subscription active', async () => {
          const current = await json(session, 'GET', '/api/subscriptions/current');
          const sub = current.body.subscription as Json | null;
          return sub?.status === 'active' ? sub : undefined;
        });
        const payment = await waitFor(ctx, 'a captured payment', async () => {
          const list = await json(session, 'GET', '/api/payments');
          const items = (list.body.items ?? []) as Json[];
          return items.find((p) => p.status === 'captured');
        });
        bought.razorpayPaymentId = String(payment.razorpayPaymentId);
        return pass(
          `${active.tier} active; payment ${bought.razorpayPaymentId} captured, ${rupees(payment.amount)}`,
        );
      },
    },
    {
      name: 'purchase: cancel',
      run: async () => {
        const session = needs(bought.session, 'no checkout');
        needs(bought.subscriptionId, 'no checkout');
        const res = await json(session, 'POST', '/api/subscriptions/cancel', { atCycleEnd: false });
        const status = (res.body.subscription as Json | undefined)?.status;
        if (res.status !== 200 || status !== 'cancelled') {
          throw new StepFailure(
            `POST /api/subscriptions/cancel answered ${res.status} (${status ?? res.text})`,
          );
        }
        bought.cancelled = true;
        return pass(`${bought.subscriptionId} cancelled now`);
      },
    },
    {
      name: 'purchase: refund',
      run: async () => {
        const session = needs(bought.session, 'no checkout');
        const paymentId = needs(bought.razorpayPaymentId, 'no captured payment');
        const refund = await input.purchase.refund(paymentId);
        await waitFor(ctx, `payment ${paymentId} refunded on the instance`, async () => {
          const list = await json(session, 'GET', '/api/payments');
          const items = (list.body.items ?? []) as Json[];
          return items.find((p) => p.razorpayPaymentId === paymentId && p.status === 'refunded');
        });
        await session.signOut();
        return pass(`refund ${refund.id} ${refund.status}; the instance shows ${paymentId} refunded`);
      },
    },
  ];
}
