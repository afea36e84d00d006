import type { Incident } from '../../domain/incidents.ts';
import type { NotificationRequest } from '../../domain/notifications.ts';
import type { ServiceContext } from '../context.ts';
import { createUser } from '../users/create-user.ts';
import { processInbox } from '../webhooks/process-inbox.ts';
import type { GameDayLab, GameDaySeams } from './game-day-types.ts';

/** What the steps share while the drill runs. */
export type DrillState = {
  ctx: ServiceContext;
  lab: GameDayLab;
  seams: GameDaySeams;
  sent: NotificationRequest[];
  subscriptions: string[];
  failing: string[];
  failedAt: Date | null;
  incident: Incident | null;
};

/** A step's verdict: passed or failed with what it saw; `notWired` names a seam that is absent. */
export type StepResult = { ok: boolean; detail: string; notWired?: string };

/** Thrown inside a step to fail it with a message. */
export class StepFailed extends Error {}

/** Fails the step unless `condition` holds. */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new StepFailed(message);
}

/** The value of a gateway result, or the step fails naming the call. */
export function must<T>(result: { ok: true; value: T } | { ok: false; error: Error }, what: string): T {
  if (!result.ok) throw new StepFailed(`${what}: ${result.error.message}`);
  return result.value;
}

/** Waits for the emulator's deliveries, then processes the scratch inbox until nothing is due. */
export async function settle(s: DrillState): Promise<void> {
  await s.lab.deliveriesSettled();
  for (let pass = 0; pass < 100; pass++) {
    const outcome = await processInbox({ ctx: s.ctx, input: { backoffMs: 0 } });
    if (outcome.claimed === 0) return;
  }
}

/** Creates `count` Navigator subscribers who paid their first month, through Razorpay's own flow. */
export async function subscribe(s: DrillState, count: number): Promise<void> {
  const plan = must(
    await s.ctx.gateway.createPlan({
      period: 'monthly',
      interval: 1,
      item: { name: 'Navigator monthly (game day)', amount: 349_900, currency: 'INR' },
      notes: { polaris_tier: 'navigator', polaris_cycle: 'monthly' },
    }),
    'create the plan',
  );
  // Sign-ups hash a password each: run them side by side (the hashing runs off the main thread).
  const ids = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const user = await createUser({
        ctx: s.ctx,
        input: { email: `game-day-${i + 1}@example.invalid`, actor: 'game-day' },
      });
      const sub = must(
        await s.ctx.gateway.createSubscription({
          planId: plan.id,
          totalCount: 12,
          notes: { polaris_user_id: user.userId, polaris_tier: 'navigator', polaris_cycle: 'monthly' },
        }),
        'create a subscription',
      );
      await s.lab.completeCheckout(sub.id);
      return sub.id;
    }),
  );
  s.subscriptions.push(...ids);
  await settle(s);
}

/** Statuses of the drill's subscriptions as our database holds them, by status. */
export const ourStatuses = (s: DrillState) => s.ctx.repos.reports.subscriptionStatuses(s.subscriptions);
