/**
 * The pricing page's script: prices follow the cycle and seats (quoted by the server), buying
 * opens Razorpay Checkout for tier, cycle and seats (the server prices it), and the kill switches
 * are polled each second so the banner and the disabled buttons follow them without a reload.
 */
export const PRICING_SCRIPT = `document.addEventListener('DOMContentLoaded', function () {
  function $(id) { return document.getElementById(id); }
  function say(text) { $('status').textContent = text; }
  function cycle() { var c = document.querySelector('input[name=cycle]:checked'); return c ? c.value : 'monthly'; }
  function seats(tier) { var i = $('seats-' + tier); return i ? i.value : '1'; }

  async function reprice() {
    var params = new URLSearchParams({ cycle: cycle() });
    var cards = document.querySelectorAll('[data-quote]');
    for (var k = 0; k < cards.length; k++) {
      var tier = cards[k].getAttribute('data-quote');
      var q = new URLSearchParams({ tier: tier, cycle: cycle(), seats: seats(tier) });
      if ($('seats-' + tier)) params.set('seats-' + tier, seats(tier));
      var r = await fetch('/api/plans/quote?' + q.toString());
      var b = await r.json().catch(function () { return null; });
      var total = $('total-' + tier);
      if (!r.ok || !b) { if (total) total.textContent = b && b.error ? b.error.message : 'No price for that'; continue; }
      $('price-' + tier).textContent = b.text.unit;
      $('per-' + tier).textContent = b.text.per;
      if (total) total.textContent = b.text.total;
      var next = document.querySelector('[data-next-of="' + tier + '"]');
      var back = '/pricing?plan=' + tier + '&cycle=' + cycle();
      if (next) next.value = back;
      var signIn = document.querySelector('[data-sign-in-of="' + tier + '"]');
      if (signIn) signIn.href = '/sign-in?next=' + encodeURIComponent(back);
    }
    history.replaceState(null, '', '/pricing?' + params.toString());
  }
  document.querySelectorAll('input[name=cycle]').forEach(function (r) { r.addEventListener('change', reprice); });
  document.querySelectorAll('input[id^="seats-"]').forEach(function (i) { i.addEventListener('input', reprice); });

  async function buy(button) {
    var tier = button.getAttribute('data-tier');
    say('Preparing checkout…');
    var body = { tier: tier, cycle: cycle() };
    if ($('seats-' + tier)) body.seats = Number(seats(tier));
    var r = await fetch('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    var out = await r.json().catch(function () { return null; });
    if (!r.ok) { say(out && out.error ? out.error.message : 'Checkout failed'); return; }
    if (!out.checkout) { say('Plan changed: ' + out.subscription.tier + ' (' + out.subscription.status + ')'); return; }
    var o = out.checkout;
    var rzp = new Razorpay({ key: o.key, subscription_id: o.subscription_id, name: o.name, description: o.description,
      prefill: o.prefill, notes: o.notes,
      handler: async function (response) {
        var v = await fetch('/api/subscriptions/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(response) });
        var vb = await v.json().catch(function () { return null; });
        say(v.ok ? 'Subscribed: ' + vb.status : 'Verification failed: ' + (vb && vb.error ? vb.error.message : v.status));
        button.focus();
      },
      modal: { ondismiss: function () { say('Checkout closed'); button.focus(); } } });
    rzp.on('payment.failed', function (e) { say('Payment failed: ' + e.error.description); });
    rzp.open();
  }
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('button.buy[data-tier]');
    if (b && b.type === 'button' && !b.disabled) buy(b);
  });

  function showModes(m) {
    var main = $('main');
    var banner = $('mode-banner');
    var text = m.banner.map(function (l) { return l.id + ':' + l.text; }).join('|');
    var shown = banner ? Array.prototype.map.call(banner.querySelectorAll('p'), function (p) {
      return p.id.replace('banner-', '') + ':' + p.textContent; }).join('|') : '';
    if (m.banner.length === 0) { if (banner) banner.remove(); }
    else if (shown !== text) {
      var fresh = document.createElement('div');
      fresh.id = 'mode-banner'; fresh.className = 'mode-banner'; fresh.setAttribute('role', 'alert');
      m.banner.forEach(function (l) { var p = document.createElement('p'); p.id = 'banner-' + l.id; p.textContent = l.text; fresh.appendChild(p); });
      if (banner) banner.replaceWith(fresh); else main.insertBefore(fresh, main.firstChild);
    }
    document.querySelectorAll('button.buy[data-tier]').forEach(function (b) { b.disabled = !m.can_buy; });
  }
  async function poll() {
    try {
      var r = await fetch('/api/modes', { cache: 'no-store' });
      if (r.ok) showModes(await r.json());
    } catch (e) { /* the next poll tries again */ }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
});`;
