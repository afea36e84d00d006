import type { HttpProbe } from '../../adapters/http-probe.ts';

/** How one smoke step ended. */
export type StepStatus = 'pass' | 'fail' | 'skip';

/** One step as reported: its name, outcome, what it saw (or why it was skipped) and how long it took. */
export type SmokeStepResult = { name: string; status: StepStatus; detail: string; durationMs: number };

/** A whole run: ok when no step failed (a skipped step is neither a pass nor a failure). */
export type SmokeReport = {
  ok: boolean;
  url: string;
  full: boolean;
  startedAt: Date;
  durationMs: number;
  steps: SmokeStepResult[];
};

/** A step's own answer: passed with what it saw, or skipped with the reason; a failure throws. */
export type StepAnswer = { status: 'pass' | 'skip'; detail: string };

/** A named step; it throws (StepFailure or any error) to fail with the message. */
export type SmokeStep = { name: string; run: () => Promise<StepAnswer> };

/** A failed expectation inside a step: the message is what the report prints. */
export class StepFailure extends Error {
  override name = 'StepFailure';
}

/** A step that cannot run because an earlier one failed: reported as skipped with the reason. */
export class StepSkipped extends Error {
  override name = 'StepSkipped';
}

/** The smoke account, from SMOKE_EMAIL and SMOKE_PASSWORD. */
export type SmokeAccount = { email: string; password: string };

/** Pays a checkout the way the browser's handler would, and refunds; the emulator's or test mode's. */
export interface SmokePurchasePort {
  /** The Razorpay key this CLI would use; a live key refuses --full before anything is sent. */
  keyId: string;
  /** The three fields Checkout's handler receives after a successful test card payment. */
  payCheckout(subscriptionId: string): Promise<Record<string, string>>;
  /** A full refund of a captured payment; the refund's id and status as Razorpay answers. */
  refund(paymentId: string): Promise<{ id: string; status: string }>;
}

/** What a smoke run uses: HTTP to the served instance, a monotonic clock and a pause for polling. */
export type SmokeContext = {
  http: HttpProbe;
  now: () => Date;
  elapsedMs: () => number;
  sleep: (ms: number) => Promise<void>;
};

/** Sends a request and parses its JSON body; a body that is not JSON fails the step. */
export async function getJson(http: HttpProbe, path: string, init: Partial<Parameters<HttpProbe>[0]> = {}) {
  const answer = await http({ method: 'GET', path, ...init });
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw new StepFailure(
      `${init.method ?? 'GET'} ${path} answered ${answer.status} with a body that is not JSON`,
    );
  }
  // biome-ignore lint/suspicious/noExplicitAny: a smoke test reads a remote API's JSON loosely and checks each field it uses.
  return { status: answer.status, body: body as Record<string, any>, answer };
}
