import { AppError } from '../../domain/errors.ts';
import { purchaseSteps } from './purchase-steps.ts';
import { readOnlySteps } from './read-only-steps.ts';
import {
  type SmokeAccount,
  type SmokeContext,
  type SmokePurchasePort,
  type SmokeReport,
  type SmokeStep,
  type SmokeStepResult,
  StepSkipped,
} from './smoke-report.ts';

/** What to smoke-test: the base URL, whether to buy (--full), the smoke account and the payment port. */
export type RunSmokeInput = {
  url: string;
  full: boolean;
  account: SmokeAccount | undefined;
  purchase: SmokePurchasePort | undefined;
  /** Hears each step as it finishes (progress on a terminal). */
  onStep?: (step: SmokeStepResult, total: number) => void;
};

/** The base URL as an origin-rooted http(s) URL, or bad_request naming what is wrong. */
export function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError(
      'bad_request',
      `--url must be an http(s) base URL such as https://polaris.example.com; got "${raw}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('bad_request', `--url must use http or https; got ${url.protocol.replace(':', '')}`);
  }
  if (url.username || url.password)
    throw new AppError('bad_request', '--url must not carry a user or password');
  return url;
}

/** Refuses --full before anything is sent when it could spend real money or cannot sign in. */
function checkFullRun(input: RunSmokeInput): { account: SmokeAccount; purchase: SmokePurchasePort } {
  if (!input.purchase) throw new AppError('bad_request', '--full needs a Razorpay API to pay through');
  if (input.purchase.keyId.startsWith('rzp_live_')) {
    throw new AppError(
      'forbidden',
      'smoke --full refuses live keys (rzp_live_): it buys and refunds a real subscription; run it with rzp_test_ keys against the emulator or a staging instance',
    );
  }
  if (!input.account) {
    throw new AppError('bad_request', '--full needs the smoke account: set SMOKE_EMAIL and SMOKE_PASSWORD');
  }
  return { account: input.account, purchase: input.purchase };
}

async function runStep(ctx: SmokeContext, step: SmokeStep): Promise<SmokeStepResult> {
  const started = ctx.elapsedMs();
  const timed = (status: SmokeStepResult['status'], detail: string): SmokeStepResult => ({
    name: step.name,
    status,
    detail,
    durationMs: Math.round(ctx.elapsedMs() - started),
  });
  try {
    const answer = await step.run();
    return timed(answer.status, answer.detail);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return timed(error instanceof StepSkipped ? 'skip' : 'fail', message);
  }
}

/**
 * `polaris smoke`: runs every step against the served instance, each timed, and reports them all;
 * a failed step does not stop the others. Read-only unless `full`, which refuses live keys.
 */
export async function runSmoke({
  ctx,
  input,
}: {
  ctx: SmokeContext;
  input: RunSmokeInput;
}): Promise<SmokeReport> {
  const base = parseBaseUrl(input.url);
  const full = input.full ? checkFullRun(input) : undefined;
  const origin = base.origin;
  const steps = readOnlySteps(ctx.http, { origin, account: input.account });
  if (full) steps.push(...purchaseSteps(ctx, { origin, ...full }));
  const startedAt = ctx.now();
  const begun = ctx.elapsedMs();
  const results: SmokeStepResult[] = [];
  for (const step of steps) {
    const result = await runStep(ctx, step);
    results.push(result);
    input.onStep?.(result, steps.length);
  }
  return {
    ok: results.every((r) => r.status !== 'fail'),
    url: base.toString(),
    full: input.full,
    startedAt,
    durationMs: Math.round(ctx.elapsedMs() - begun),
    steps: results,
  };
}
