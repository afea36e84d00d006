import { GAME_DAY_ACTION } from '../../domain/monthly-review.ts';
import type { ServiceContext } from '../context.ts';
import type { GameDayOutcome } from './game-day-types.ts';

/**
 * Records a finished game day in the live database's audit_log (the only thing the drill writes
 * there), so `polaris review monthly` lists it with the steps that failed.
 */
export async function recordGameDay({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { outcome: GameDayOutcome; actor: string };
}): Promise<void> {
  const { outcome } = input;
  await ctx.transaction((repos) =>
    repos.audit.record({
      actor: input.actor,
      action: GAME_DAY_ACTION,
      target: 'game-day',
      details: {
        ok: outcome.ok,
        failed: outcome.steps.filter((s) => s.status === 'fail').map((s) => `${s.n}. ${s.name}`),
        notWired: outcome.steps.flatMap((s) => (s.notWired ? [s.notWired] : [])),
        ms: Date.now() - outcome.startedAt.getTime(),
      },
    }),
  );
}
