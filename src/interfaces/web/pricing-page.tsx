import type { FlagsView } from '../../domain/flags.ts';
import type { BillingCycle } from '../../domain/plans.ts';
import type { Caller } from '../http/env.ts';
import { Page } from './layout.tsx';
import { canBuy } from './mode-banner.tsx';
import { type Buyer, type CardView, PlanCard } from './pricing-cards.tsx';
import { PRICING_SCRIPT } from './pricing-script.ts';

/** What the page shows the signed-in visitor about their own plan. */
export type VisitorView = {
  email: string;
  tier: string;
  status: string | null;
  used: number;
  limit: number | null;
} | null;

/** GET /pricing: plan cards priced by the server for a cycle and seats, and a way to buy or sign up. */
export function PricingPage(props: {
  caller: Caller | null;
  cards: CardView[];
  cycle: BillingCycle;
  /** How many months a yearly plan saves (yearly is ten times monthly: two). */
  monthsSaved: number;
  visitor: VisitorView;
  buyer: Buyer;
  checkoutScriptUrl: string;
  flags: FlagsView;
}) {
  const { visitor, cycle } = props;
  const buyable = canBuy(props.flags);
  const chosen = props.cards.find((c) => c.chosen);
  return (
    <Page
      title="Plans and pricing"
      section="pricing"
      caller={props.caller}
      flags={props.flags}
      withPayments
      head={
        <>
          {props.buyer === 'person' ? <script src={props.checkoutScriptUrl} defer /> : null}
          <script dangerouslySetInnerHTML={{ __html: PRICING_SCRIPT }} defer />
        </>
      }
    >
      <h1>SmartSlate Polaris plans</h1>
      {visitor ? (
        <p id="visitor">
          Signed in as {visitor.email}: {visitor.tier} plan{visitor.status ? ` (${visitor.status})` : ''},{' '}
          {visitor.used} of {visitor.limit ?? 'unlimited'} blueprints used.
        </p>
      ) : null}
      {chosen ? (
        <p id="chosen-plan" class="notice">
          You chose <a href={`#plan-${chosen.plan.tier}`}>{chosen.plan.name}</a>, billed {cycle}.{' '}
          {props.buyer === 'person' ? 'Choose it below to pay.' : 'Sign up or sign in to buy it.'}
        </p>
      ) : null}
      <form id="pricing-form" method="get" action="/pricing" class="pricing-options">
        <fieldset>
          <legend>Billing</legend>
          <input type="radio" name="cycle" value="monthly" id="cycle-monthly" checked={cycle === 'monthly'} />{' '}
          <label for="cycle-monthly" class="inline-label">
            Monthly
          </label>{' '}
          <input type="radio" name="cycle" value="yearly" id="cycle-yearly" checked={cycle === 'yearly'} />{' '}
          <label for="cycle-yearly" class="inline-label">
            Yearly (save {props.monthsSaved} months)
          </label>
          <noscript>
            <button type="submit" class="secondary">
              Show prices
            </button>
          </noscript>
        </fieldset>
      </form>
      <div class="cards" id="plans">
        {props.cards.map((card) => (
          <PlanCard card={card} buyer={props.buyer} cycle={cycle} buyable={buyable} />
        ))}
      </div>
      {props.buyer === 'person' ? (
        <noscript>
          <p class="notice warning">Paying opens Razorpay Checkout, which needs JavaScript.</p>
        </noscript>
      ) : null}
      <p id="status" role="status" />
    </Page>
  );
}
