import type { FlagsView } from '../../domain/flags.ts';
import type { PublicPlan } from '../../services/plans/list-plans.ts';
import { canBuy, ModeBanner } from './mode-banner.tsx';

const rupees = (paise: number) => `₹${(paise / 100).toLocaleString('en-IN')}`;

/** What the page shows the signed-in visitor about their own plan. */
export type VisitorView = {
  email: string;
  tier: string;
  status: string | null;
  used: number;
  limit: number | null;
} | null;

// The page's only script: sign in, start checkout with tier and cycle (the server prices it),
// open Razorpay Checkout, and hand its result to verify. Prices never come from the page.
const SCRIPT = `
function say(text){ document.getElementById('status').textContent = text; }
async function signIn(form){
  var r = await fetch('/api/auth/sign-in/email', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: form.email.value, password: form.password.value }) });
  if (r.ok) location.reload(); else say('Sign-in failed');
  return false;
}
async function buy(tier, cycle){
  say('Preparing checkout…');
  var r = await fetch('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tier: tier, cycle: cycle, seats: 1 }) });
  var body = await r.json();
  if (!r.ok) { say(body.error.message); return; }
  var o = body.checkout;
  var rzp = new Razorpay({ key: o.key, subscription_id: o.subscription_id, name: o.name, description: o.description,
    prefill: o.prefill, notes: o.notes,
    handler: async function (response) {
      var v = await fetch('/api/subscriptions/verify', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify(response) });
      var vb = await v.json();
      say(v.ok ? 'Subscribed: ' + vb.status : 'Verification failed: ' + vb.error.message);
    },
    modal: { ondismiss: function(){ say('Checkout closed'); } } });
  rzp.on('payment.failed', function (e) { say('Payment failed: ' + e.error.description); });
  rzp.open();
}`;

/** GET /pricing: the plans with their prices, and for a signed-in visitor their plan and a way to buy. */
export function PricingPage(props: {
  plans: PublicPlan[];
  visitor: VisitorView;
  checkoutScriptUrl: string;
  flags: FlagsView;
}) {
  const { plans, visitor } = props;
  const buyable = canBuy(props.flags);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Pricing · SmartSlate Polaris</title>
        <style>
          {
            'body{font-family:system-ui,sans-serif;max-width:760px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;width:100%}td,th{padding:6px;border-bottom:1px solid #ddd;text-align:left}'
          }
        </style>
        <script src={props.checkoutScriptUrl} />
        <script dangerouslySetInnerHTML={{ __html: SCRIPT }} />
      </head>
      <body>
        <ModeBanner flags={props.flags} withPayments />
        <h1>SmartSlate Polaris plans</h1>
        {visitor ? (
          <p id="visitor">
            Signed in as {visitor.email}: {visitor.tier} plan{visitor.status ? ` (${visitor.status})` : ''},{' '}
            {visitor.used} of {visitor.limit ?? 'unlimited'} blueprints used.
          </p>
        ) : (
          <form id="sign-in" onsubmit="signIn(this); return false;">
            <input name="email" type="email" placeholder="email" required />{' '}
            <input name="password" type="password" placeholder="password" required />{' '}
            <button type="submit">Sign in</button>
          </form>
        )}
        <table>
          <thead>
            <tr>
              <th>Plan</th>
              <th>Monthly</th>
              <th>Yearly</th>
              <th>Blueprints</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {plans.map((p) => (
              <tr id={`plan-${p.tier}`}>
                <td>{p.name}</td>
                <td>
                  {p.purchasable ? `${rupees(p.pricePaise.monthly)}${p.perSeat ? ' / seat' : ''}` : '—'}
                </td>
                <td>{p.purchasable ? `${rupees(p.pricePaise.yearly)}${p.perSeat ? ' / seat' : ''}` : '—'}</td>
                <td>
                  {p.blueprintLimit === null
                    ? 'unlimited'
                    : `${p.blueprintLimit}${p.perSeat ? ' / seat' : ''}`}
                </td>
                <td>
                  {visitor && p.purchasable ? (
                    buyable ? (
                      <button type="button" data-tier={p.tier} onclick={`buy('${p.tier}','monthly')`}>
                        Subscribe monthly
                      </button>
                    ) : (
                      <button type="button" data-tier={p.tier} disabled title="Subscribing is paused">
                        Subscribe monthly
                      </button>
                    )
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p id="status" role="status" />
      </body>
    </html>
  );
}
