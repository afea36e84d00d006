import type { ServiceContext } from '../../context.ts';
import { razorpayAbort } from './billing-failures.ts';
import type { BillingSnapshot } from './snapshot-types.ts';

/**
 * The Razorpay subscription each payment snapshot belongs to, keyed by payment id. Payment events
 * do not name it; their invoice does. The batch itself usually says (invoice.paid and
 * subscription.charged carry both), a payment we stored linked needs nothing, and only the rest
 * cost one invoice fetch each. Throws AppError when Razorpay cannot say.
 */
export async function resolvePaymentLinks(
  ctx: Pick<ServiceContext, 'gateway' | 'repos'>,
  snapshots: BillingSnapshot[],
): Promise<Map<string, string>> {
  const byInvoice = new Map<string, string>();
  for (const snap of snapshots) {
    const subscriptionId = snap.kind === 'subscription' ? snap.subscription.id : snap.razorpaySubscriptionId;
    if (subscriptionId && snap.payment?.invoice_id) byInvoice.set(snap.payment.invoice_id, subscriptionId);
  }
  const links = new Map<string, string>();
  const unresolved = new Map<string, string>(); // payment id → invoice id
  for (const snap of snapshots) {
    if (snap.kind !== 'payment') continue;
    const { id, invoice_id: invoiceId } = snap.payment;
    const known = snap.razorpaySubscriptionId ?? (invoiceId ? byInvoice.get(invoiceId) : undefined);
    if (known) links.set(id, known);
    else if (invoiceId) unresolved.set(id, invoiceId);
  }
  for (const id of links.keys()) unresolved.delete(id);
  if (unresolved.size === 0) return links;

  const linked = await ctx.repos.billing.linkedPaymentIds([...unresolved.keys()]);
  const invoices = new Map<string, string | null>();
  for (const [paymentId, invoiceId] of unresolved) {
    if (linked.has(paymentId)) continue;
    if (!invoices.has(invoiceId)) {
      const invoice = await ctx.gateway.fetchInvoice(invoiceId);
      if (!invoice.ok) throw razorpayAbort(invoice.error, `fetching invoice ${invoiceId}`);
      invoices.set(invoiceId, invoice.value.subscription_id ?? null);
    }
    const subscriptionId = invoices.get(invoiceId);
    if (subscriptionId) links.set(paymentId, subscriptionId);
  }
  return links;
}
