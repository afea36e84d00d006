import { rupees } from '../../domain/money.ts';
import { utcTime } from '../../domain/notification-templates.ts';
import { planFor, Tier } from '../../domain/plans.ts';
import type { Usage } from '../../services/blueprints/get-usage.ts';
import type { SubscriptionView } from '../../services/subscriptions/subscription-view.ts';

/** A tier's name as people read it. */
export const tierName = (tier: string) => {
  const parsed = Tier.safeParse(tier);
  return parsed.success ? planFor(parsed.data).name : tier;
};

// What each status means for the subscriber, beside the status itself.
const STATUS_TEXT: Record<string, string> = {
  created: 'waiting for the first payment',
  authenticated: 'card authorised, first charge to come',
  active: 'active',
  pending: 'renewal charge failed; Razorpay is retrying',
  halted: 'halted after failed charges',
  paused: 'paused',
  cancelled: 'cancelled',
  completed: 'completed',
  expired: 'expired',
};

function nextCharge(s: SubscriptionView): string {
  if (s.cancelAtCycleEnd)
    return `None: it ends ${s.currentEnd ? `on ${utcTime(s.currentEnd)}` : 'at cycle end'}`;
  if (s.status === 'halted') return 'None: charges stopped';
  const at = s.chargeAt ?? (s.status === 'active' ? s.currentEnd : null);
  if (!at || !['active', 'pending', 'authenticated'].includes(s.status)) return 'None scheduled';
  return `${rupees(s.amount)} on ${utcTime(at)}${s.status === 'pending' ? ' (retry)' : ''}`;
}

/** Tier, cycle, seats, status and the next charge; the free plan when there is no subscription. */
export function PlanSummary(props: { subscription: SubscriptionView | null; tier: string }) {
  const s = props.subscription;
  return (
    <section id="plan-summary" aria-labelledby="plan-heading">
      <h2 id="plan-heading">Your plan</h2>
      <div class="stats">
        <div class="stat">
          <div>Tier</div>
          <div class="value" id="plan-tier">
            {tierName(props.tier)}
          </div>
        </div>
        <div class="stat">
          <div>Billing cycle</div>
          <div class="value">{s ? (s.cycle === 'yearly' ? 'Yearly' : 'Monthly') : 'None'}</div>
        </div>
        <div class="stat">
          <div>Seats</div>
          <div class="value">{s ? String(s.seats) : '1'}</div>
        </div>
        <div class="stat">
          <div>Status</div>
          <div class="value" id="plan-status">
            {s ? (STATUS_TEXT[s.status] ?? s.status) : 'free plan'}
          </div>
        </div>
        <div class="stat">
          <div>Next charge</div>
          <div class="value" id="next-charge">
            {s ? nextCharge(s) : 'None'}
          </div>
        </div>
      </div>
      {s && s.tier !== props.tier ? (
        <p class="hint">
          Your {tierName(s.tier)} subscription is {s.status}; your account is on the {tierName(props.tier)}{' '}
          plan meanwhile.
        </p>
      ) : null}
    </section>
  );
}

/** Blueprints used this period as a bar against the period's limit. */
export function UsageBar(props: { usage: Usage }) {
  const { created, limit, periodEnd } = props.usage;
  return (
    <section id="usage" aria-labelledby="usage-heading">
      <h2 id="usage-heading">Blueprint usage</h2>
      {limit === null ? (
        <p>{created} blueprints this period (unlimited)</p>
      ) : (
        <>
          <label for="usage-meter">
            {created} of {limit} blueprints
          </label>
          <meter
            id="usage-meter"
            min={0}
            max={limit}
            low={limit * 0.8}
            high={limit * 0.95}
            value={Math.min(created, limit)}
          >
            {created} of {limit}
          </meter>
        </>
      )}
      <p class="hint">
        {periodEnd
          ? `The count starts again on ${utcTime(periodEnd)}.`
          : 'The free plan allowance does not renew.'}
      </p>
    </section>
  );
}

/** The pending and halted notices: what happened and what to do about it. */
export function BillingNotices(props: { subscription: SubscriptionView | null }) {
  const s = props.subscription;
  if (s?.status === 'pending') {
    return (
      <div id="notice-pending" class="notice warning" role="status">
        <p>
          <strong>Your renewal payment failed.</strong> Razorpay is retrying the charge over the next days;
          you keep your {tierName(s.tier)} plan meanwhile. If the card keeps failing the subscription is
          halted and your account drops to the free plan.
        </p>
        {s.shortUrl ? (
          <p>
            <a id="update-card" href={s.shortUrl} rel="noopener noreferrer">
              Update your card and pay now
            </a>{' '}
            (Razorpay's secure page).
          </p>
        ) : (
          <p>Check your email from Razorpay for the link to pay with another card.</p>
        )}
      </div>
    );
  }
  if (s?.status === 'halted') {
    return (
      <div id="notice-halted" class="notice error" role="status">
        <p>
          <strong>Your {tierName(s.tier)} subscription is halted</strong> after repeated failed charges, and
          your account is on the free plan.
        </p>
        <p>
          To resubscribe,{' '}
          {s.shortUrl ? (
            <>
              <a id="update-card" href={s.shortUrl} rel="noopener noreferrer">
                pay the outstanding charge with another card
              </a>{' '}
              (the plan comes back at once), or{' '}
            </>
          ) : null}
          cancel it below and <a href="/pricing">choose a plan on the pricing page</a>.
        </p>
      </div>
    );
  }
  return null;
}
