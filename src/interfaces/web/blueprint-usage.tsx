import { nextPlanUp } from '../../domain/plan-upgrade.ts';
import { planFor, Tier } from '../../domain/plans.ts';
import type { Usage } from '../../services/blueprints/get-usage.ts';
import { utcTime } from './status-sections.tsx';

const planName = (tier: string) => {
  const parsed = Tier.safeParse(tier);
  return parsed.success ? planFor(parsed.data).name : tier;
};

/** Whether the caller has no creation left this period. */
export const quotaExhausted = (usage: Usage) => usage.remaining !== null && usage.remaining <= 0;

/** `#usage`: blueprints created against the plan's limit for the period, as a meter and in words. */
export function BlueprintUsage(props: { usage: Usage }) {
  const { usage } = props;
  const period = usage.periodEnd
    ? `this billing period (until ${utcTime(new Date(usage.periodEnd))})`
    : 'in all';
  return (
    <section id="usage" aria-labelledby="usage-heading">
      <h2 id="usage-heading">Usage</h2>
      {usage.limit === null ? (
        <p>{`${usage.created} blueprints created; the ${planName(usage.tier)} plan has no limit.`}</p>
      ) : (
        <>
          <meter
            id="usage-meter"
            min={0}
            max={usage.limit}
            value={Math.min(usage.created, usage.limit)}
            aria-labelledby="usage-text"
          />
          <p id="usage-text">{`${usage.created} of ${usage.limit} blueprints used ${period} on the ${planName(usage.tier)} plan.`}</p>
        </>
      )}
    </section>
  );
}

/** What the next plan up allows, in one sentence (from the plan catalog). */
function nextTierSentence(tier: string): string {
  const parsed = Tier.safeParse(tier);
  const up = parsed.success ? nextPlanUp(parsed.data) : { kind: 'none' as const };
  if (up.kind === 'self-serve') {
    const each = up.plan.perSeat ? ' per seat' : '';
    return `The ${up.plan.name} plan allows ${up.plan.blueprintLimit} blueprints${each} each billing period.`;
  }
  if (up.kind === 'contact') return `The ${up.plan.name} plan has no blueprint limit.`;
  return 'Compare the plans to find more room.';
}

/** `#quota-exhausted`: the limit is reached; names what the next tier allows and links to /pricing. */
export function QuotaExhausted(props: { usage: Usage }) {
  const { usage } = props;
  const wait = usage.periodEnd ? ` or wait for the next period on ${utcTime(new Date(usage.periodEnd))}` : '';
  return (
    <section id="quota-exhausted" class="notice warning" aria-labelledby="quota-heading">
      <h2 id="quota-heading">Blueprint limit reached</h2>
      <p>{`You have used all ${usage.limit} blueprints of the ${planName(usage.tier)} plan. ${nextTierSentence(usage.tier)}`}</p>
      <p>
        <a href="/pricing" id="upgrade-link">
          See the plans and upgrade
        </a>
        {wait}
      </p>
    </section>
  );
}
