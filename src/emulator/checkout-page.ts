import { Hono } from 'hono';
import { CHECKOUT_SCRIPT } from './checkout-script.ts';
import type { Ctx } from './context.ts';

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

function page(params: Record<string, string>, amount: string, error: string | null): string {
  const json = JSON.stringify(params).replace(/</g, '\\u003c');
  const buttons = error
    ? `<p class="err">${escapeHtml(error)}</p>`
    : `<button data-i="card_success">Card 4111 1111 1111 1111 (succeeds)</button>
<button data-i="card_failure">Card 4000 0000 0000 0002 (fails)</button>
<button data-i="upi_success">UPI success@razorpay (succeeds)</button>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Razorpay emulator checkout</title>
<style>body{font:15px system-ui;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;padding:24px;border-radius:8px;min-width:320px;box-shadow:0 4px 24px #0003}
button{display:block;width:100%;margin:8px 0;padding:10px;cursor:pointer}.err{color:#b00020}</style></head>
<body><main><h1>${escapeHtml(params.name ?? 'Checkout')}</h1><p>${escapeHtml(params.description ?? '')}</p>
<p id="amount">${escapeHtml(amount)}</p>${buttons}<button data-dismiss>Cancel</button><p id="status" role="status"></p></main>
<script>
var params = ${json};
function post(msg){ msg.source='razorpay-emulator'; (window.parent!==window?window.parent:window.opener||window).postMessage(msg,'*'); }
document.querySelectorAll('button[data-i]').forEach(function(b){ b.onclick=function(){
  var body={instrument:b.getAttribute('data-i')};
  if(params.subscription_id) body.subscription_id=params.subscription_id; else body.order_id=params.order_id;
  if(params.email) body.email=params.email; if(params.contact) body.contact=params.contact;
  fetch('/_emulator/checkout/complete',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(body)})
    .then(function(r){return r.json().then(function(j){return {ok:r.ok,j:j};});})
    .then(function(x){ document.getElementById('status').textContent = x.ok ? 'Payment successful' : x.j.error.description;
      post(x.ok?{type:'success',response:x.j}:{type:'failed',error:x.j.error}); });
};});
document.querySelector('button[data-dismiss]').onclick=function(){ post({type:'dismiss'}); };
function focusFirst(){ if (document.activeElement === document.body) document.querySelector('main button').focus(); }
focusFirst(); window.addEventListener('focus', focusFirst);
</script></body></html>`;
}

/** The checkout script (`GET /v1/checkout.js`) and the page it opens (`GET /v1/checkout/pay`). */
export function checkoutRoutes(ctx: Ctx): Hono {
  const app = new Hono();
  app.get('/checkout.js', (c) => {
    c.header('content-type', 'application/javascript; charset=utf-8');
    return c.body(CHECKOUT_SCRIPT);
  });
  app.get('/checkout/pay', (c) => {
    const q = c.req.query();
    const sub = q.subscription_id ? ctx.state.subscriptions.get(q.subscription_id) : undefined;
    const order = q.order_id ? ctx.state.orders.get(q.order_id) : undefined;
    const plan = sub ? ctx.state.plans.get(sub.plan_id) : undefined;
    let error: string | null = null;
    if (q.key !== undefined && q.key !== ctx.config.keyId) error = 'The api key provided is invalid';
    else if (!sub && !order) error = 'The id provided does not exist';
    const paise = order ? order.amount_due : plan && sub ? plan.item.amount * sub.quantity : 0;
    const amount = `₹${(paise / 100).toFixed(2)}`;
    return c.html(page(q, amount, error), error ? 400 : 200);
  });
  return app;
}
