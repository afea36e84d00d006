/**
 * Browser script compatible with Razorpay's checkout.js: `new Razorpay(options)`, `open()`,
 * `close()`, `on('payment.failed', fn)`, `options.handler` and `options.modal.ondismiss`.
 * It opens the emulator's checkout page in an overlay iframe and relays the page's result.
 */
export const CHECKOUT_SCRIPT = `(function () {
  var script = document.currentScript;
  var origin = script ? new URL(script.src).origin : '';
  function Razorpay(options) {
    if (!(this instanceof Razorpay)) return new Razorpay(options);
    if (!options || !options.key) throw new Error('Razorpay: key is required');
    this.options = options;
    this.listeners = {};
    this.frame = null;
    var self = this;
    this.onMessage = function (event) {
      if (event.origin !== origin || !event.data || event.data.source !== 'razorpay-emulator') return;
      var data = event.data;
      if (data.type === 'success') {
        self.close();
        if (typeof self.options.handler === 'function') self.options.handler(data.response);
      } else if (data.type === 'failed') {
        self.emit('payment.failed', { error: data.error });
      } else if (data.type === 'dismiss') {
        self.close();
        var modal = self.options.modal || {};
        if (typeof modal.ondismiss === 'function') modal.ondismiss();
      }
    };
  }
  Razorpay.prototype.on = function (name, fn) {
    (this.listeners[name] = this.listeners[name] || []).push(fn);
    return this;
  };
  Razorpay.prototype.emit = function (name, payload) {
    (this.listeners[name] || []).forEach(function (fn) { fn(payload); });
  };
  Razorpay.prototype.open = function () {
    var o = this.options;
    var params = new URLSearchParams({ key: o.key });
    if (o.subscription_id) params.set('subscription_id', o.subscription_id);
    if (o.order_id) params.set('order_id', o.order_id);
    if (o.name) params.set('name', o.name);
    if (o.description) params.set('description', o.description);
    var prefill = o.prefill || {};
    if (prefill.email) params.set('email', prefill.email);
    if (prefill.contact) params.set('contact', prefill.contact);
    var frame = document.createElement('iframe');
    frame.src = origin + '/v1/checkout/pay?' + params.toString();
    frame.setAttribute('data-razorpay-emulator', '');
    frame.title = 'Razorpay Checkout';
    // Keyboard users land in the checkout and come back to what opened it (as Razorpay's own does).
    this.opener = document.activeElement;
    frame.addEventListener('load', function () { frame.focus(); });
    frame.style.cssText = 'position:fixed;inset:0;width:100%;height:100%;border:0;z-index:2147483647;background:rgba(0,0,0,.5)';
    document.body.appendChild(frame);
    this.frame = frame;
    window.addEventListener('message', this.onMessage);
    return this;
  };
  Razorpay.prototype.close = function () {
    window.removeEventListener('message', this.onMessage);
    if (this.frame && this.frame.parentNode) this.frame.parentNode.removeChild(this.frame);
    this.frame = null;
    if (this.opener && this.opener.isConnected && typeof this.opener.focus === 'function') this.opener.focus();
    this.opener = null;
  };
  window.Razorpay = Razorpay;
})();
`;
