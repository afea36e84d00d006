import { rupees } from '../../domain/money.ts';
import { MAX_SEATS } from '../../domain/plan-quote.ts';
import type { BillingCycle } from '../../domain/plans.ts';
import type { PublicPlan } from '../../services/plans/list-plans.ts';
import type { QuoteText } from './pricing-text.ts';

/** One plan card as the page shows it: its server-priced quote, and whose plan it is. */
export type CardView = {
  plan: PublicPlan;
  quote: QuoteText | null;
  seats: number;
  seatsError: string | null;
  savingPaise: number;
  current: boolean;
  chosen: boolean;
};

/** Who looks at the page: a visitor (sign up first), a person who may buy, or the admin token (no buying). */
export type Buyer = 'visitor' | 'person' | 'none';

function limitText(plan: PublicPlan): string {
  if (plan.blueprintLimit === null) return 'Unlimited blueprints';
  return `${plan.blueprintLimit} blueprints per period${plan.perSeat ? ' for each seat' : ''}`;
}

function BuyControl(props: { card: CardView; buyer: Buyer; cycle: BillingCycle; buyable: boolean }) {
  const { plan } = props.card;
  if (!plan.purchasable || props.buyer === 'none') return null;
  const label = `Choose ${plan.name}`;
  if (props.buyer === 'person') {
    return (
      <p class="actions">
        <button type="button" data-tier={plan.tier} class="buy" disabled={!props.buyable}>
          {label}
        </button>
      </p>
    );
  }
  // A visitor signs up (or in) first and comes back to this plan: a GET form, so no script is needed.
  const back = `/pricing?plan=${plan.tier}&cycle=${props.cycle}`;
  return (
    <form method="get" action="/sign-up" class="actions choose-form">
      <input type="hidden" name="next" value={back} data-next-of={plan.tier} />
      <button type="submit" data-tier={plan.tier} class="buy" disabled={!props.buyable}>
        {label}
      </button>
      <a href={`/sign-in?next=${encodeURIComponent(back)}`} data-sign-in-of={plan.tier}>
        or sign in
      </a>
    </form>
  );
}

/** A plan's card: price for the chosen cycle, the yearly saving, seats priced by the server, the buy control. */
export function PlanCard(props: { card: CardView; buyer: Buyer; cycle: BillingCycle; buyable: boolean }) {
  const { plan, quote, current, chosen } = props.card;
  const tier = plan.tier;
  const classes = ['card', current ? 'current' : '', chosen ? 'chosen' : ''].filter(Boolean).join(' ');
  return (
    <article
      class={classes}
      id={`plan-${tier}`}
      aria-labelledby={`name-${tier}`}
      data-quote={quote ? tier : undefined}
    >
      <h2 id={`name-${tier}`}>{plan.name}</h2>
      {current ? <p class="badge current-badge">Current plan</p> : null}
      {chosen ? <p class="badge">Your choice</p> : null}
      {quote ? (
        <p class="price">
          <strong id={`price-${tier}`}>{quote.unit}</strong> <span id={`per-${tier}`}>{quote.per}</span>
        </p>
      ) : (
        <p class="price">
          <strong>{plan.tier === 'free' ? '₹0' : 'Not sold online'}</strong>
        </p>
      )}
      {quote && props.card.savingPaise > 0 ? (
        <p class="hint" id={`saving-${tier}`}>
          Yearly saves {rupees(props.card.savingPaise)}
          {plan.perSeat ? ' per seat' : ''} against paying monthly.
        </p>
      ) : null}
      <p>{limitText(plan)}</p>
      {quote && plan.perSeat ? (
        <div class="field">
          <label for={`seats-${tier}`}>Seats</label>
          <input
            type="number"
            id={`seats-${tier}`}
            name={`seats-${tier}`}
            form="pricing-form"
            min={1}
            max={MAX_SEATS}
            step={1}
            inputmode="numeric"
            value={String(props.card.seats)}
            aria-invalid={props.card.seatsError ? 'true' : undefined}
            aria-describedby={`total-${tier}${props.card.seatsError ? ` seats-${tier}-error` : ''}`}
          />
          <p class="hint" id={`total-${tier}`} aria-live="polite">
            {quote.total}
          </p>
          {props.card.seatsError ? (
            <p class="field-error" id={`seats-${tier}-error`}>
              {props.card.seatsError}
            </p>
          ) : null}
        </div>
      ) : null}
      <BuyControl card={props.card} buyer={props.buyer} cycle={props.cycle} buyable={props.buyable} />
    </article>
  );
}
