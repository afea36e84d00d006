import { LIVE_SUBSCRIPTION_STATUSES } from '../../domain/billing-state.ts';
import { rupees } from '../../domain/money.ts';
import { utcTime } from '../../domain/notification-templates.ts';
import type { PublicPlan } from '../../services/plans/list-plans.ts';
import type { SubscriptionView } from '../../services/subscriptions/subscription-view.ts';
import { tierName } from './account-summary.tsx';

/** The word the cancel form asks for, checked by the server. */
export const CANCEL_WORD = 'CANCEL';

/** Field errors of a refused form, shown beside their field. */
export type FormErrors = Partial<Record<'confirm' | 'when' | 'tier' | 'cycle' | 'seats', string>>;

const isLive = (s: SubscriptionView | null): s is SubscriptionView =>
  s !== null && (LIVE_SUBSCRIPTION_STATUSES as readonly string[]).includes(s.status);

function FieldError(props: { id: string; text: string | undefined }) {
  return props.text ? (
    <p class="field-error" id={props.id}>
      {props.text}
    </p>
  ) : null;
}

/** Cancel now or at the cycle end, behind a typed confirmation. */
export function CancelForm(props: {
  subscription: SubscriptionView | null;
  enabled: boolean;
  errors: FormErrors;
}) {
  const s = props.subscription;
  if (!isLive(s)) {
    return (
      <section aria-labelledby="cancel-heading">
        <h2 id="cancel-heading">Cancel</h2>
        <p>You have no subscription to cancel.</p>
      </section>
    );
  }
  const endsLater = (s.status === 'active' || s.status === 'pending') && s.currentEnd !== null;
  const confirmError = props.errors.confirm;
  return (
    <section aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">Cancel your subscription</h2>
      {s.cancelAtCycleEnd && s.currentEnd ? (
        <p id="cancel-scheduled">It is set to end on {utcTime(s.currentEnd)}; you can still end it now.</p>
      ) : null}
      <form id="cancel-form" method="post" action="/account/cancel">
        <fieldset disabled={!props.enabled}>
          <legend>When should it end?</legend>
          {endsLater && !s.cancelAtCycleEnd ? (
            <div class="field">
              <input type="radio" id="when-cycle_end" name="when" value="cycle_end" checked />
              <label for="when-cycle_end" class="inline-form">
                {' '}
                At the end of the period ({utcTime(s.currentEnd)}): keep the plan until then
              </label>
            </div>
          ) : null}
          <div class="field">
            <input
              type="radio"
              id="when-now"
              name="when"
              value="now"
              checked={!endsLater || s.cancelAtCycleEnd}
            />
            <label for="when-now" class="inline-form">
              {' '}
              Now: the plan ends at once and your account returns to the free plan
            </label>
          </div>
          <FieldError id="when-error" text={props.errors.when} />
          <div class="field">
            <label for="confirm">Type {CANCEL_WORD} to confirm</label>
            <input
              id="confirm"
              name="confirm"
              required
              autocomplete="off"
              aria-invalid={confirmError ? 'true' : undefined}
              aria-describedby={confirmError ? 'confirm-error' : undefined}
            />
            <FieldError id="confirm-error" text={confirmError} />
          </div>
          <button type="submit" class="danger" id="cancel-submit">
            Cancel subscription
          </button>
        </fieldset>
      </form>
    </section>
  );
}

const CYCLES = [
  ['monthly', 'Monthly'],
  ['yearly', 'Yearly (two months free)'],
] as const;

function planLabel(p: PublicPlan): string {
  const each = p.perSeat ? ' per seat' : '';
  return `${p.name}: ${rupees(p.pricePaise.monthly)} a month or ${rupees(p.pricePaise.yearly)} a year${each}`;
}

/** Change an active subscription's plan in place; the server prices tier, cycle and seats. */
export function ChangePlanForm(props: {
  subscription: SubscriptionView | null;
  plans: PublicPlan[];
  enabled: boolean;
  errors: FormErrors;
}) {
  const s = props.subscription;
  if (s?.status !== 'active') {
    return (
      <section aria-labelledby="change-heading">
        <h2 id="change-heading">Change plan</h2>
        <p>
          {s && isLive(s)
            ? `Your subscription is ${s.status}; its plan can be changed once it is active.`
            : 'You have no paid plan.'}{' '}
          <a href="/pricing">See the plans and subscribe</a>.
        </p>
      </section>
    );
  }
  const buyable = props.plans.filter((p) => p.purchasable);
  const e = props.errors;
  return (
    <section aria-labelledby="change-heading">
      <h2 id="change-heading">Change plan</h2>
      <p class="hint">
        The change applies now; Razorpay charges the new price from the next renewal. Prices are set by the
        server. Razorpay does not change plans on card or UPI mandates: then cancel and subscribe to the new
        plan.
      </p>
      <form id="change-plan-form" method="post" action="/account/plan">
        <fieldset disabled={!props.enabled}>
          <legend>New plan</legend>
          <div class="field">
            <label for="change-tier">Plan</label>
            <select id="change-tier" name="tier" aria-describedby={e.tier ? 'tier-error' : undefined}>
              {buyable.map((p) => (
                <option value={p.tier} selected={p.tier === s.tier}>
                  {planLabel(p)}
                </option>
              ))}
            </select>
            <FieldError id="tier-error" text={e.tier} />
          </div>
          <div class="field" role="radiogroup" aria-label="Billing cycle">
            {CYCLES.map(([cycle, label]) => (
              <>
                <input
                  type="radio"
                  id={`change-cycle-${cycle}`}
                  name="cycle"
                  value={cycle}
                  checked={s.cycle === cycle}
                />
                <label for={`change-cycle-${cycle}`} class="inline-form">
                  {` ${label} `}
                </label>
              </>
            ))}
            <FieldError id="cycle-error" text={e.cycle} />
          </div>
          <div class="field">
            <label for="change-seats">Seats (team plans: Crew, Fleet, Armada)</label>
            <input
              id="change-seats"
              name="seats"
              type="number"
              min={1}
              max={1000}
              value={String(s.seats)}
              aria-describedby={e.seats ? 'seats-error' : 'seats-hint'}
            />
            <p class="hint" id="seats-hint">
              Other plans have one seat.
            </p>
            <FieldError id="seats-error" text={e.seats} />
          </div>
          <button type="submit" id="change-plan-submit">
            Change to this plan
          </button>
        </fieldset>
      </form>
      <p class="hint">
        Current: {tierName(s.tier)}, {rupees(s.amount)} {s.cycle === 'yearly' ? 'a year' : 'a month'}.
      </p>
    </section>
  );
}
