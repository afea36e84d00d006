import { rupees } from '../../domain/money.ts';
import { utcTime } from '../../domain/notification-templates.ts';
import type { PaymentView } from '../../services/subscriptions/list-payments.ts';

// Razorpay's method names as people read them.
const METHOD: Record<string, string> = {
  card: 'Card',
  upi: 'UPI',
  netbanking: 'Net banking',
  wallet: 'Wallet',
  emandate: 'e-Mandate',
  nach: 'NACH',
};

const STATUS: Record<string, string> = {
  created: 'Started',
  authorized: 'Authorised',
  captured: 'Paid',
  refunded: 'Refunded',
  failed: 'Failed',
};

function refundText(p: PaymentView): string {
  if (p.amountRefunded === 0) return '—';
  return `${rupees(p.amountRefunded)} ${p.refundStatus === 'full' ? '(full)' : '(partial)'}`;
}

/** The payment history, one page at a time, with links to the next and previous pages. */
export function PaymentHistory(props: { items: PaymentView[]; page: number; hasNext: boolean }) {
  const { items, page, hasNext } = props;
  return (
    <section id="payments" aria-labelledby="payments-heading">
      <h2 id="payments-heading">Payment history</h2>
      {items.length === 0 ? (
        <p>{page === 1 ? 'No payments yet.' : 'No payments on this page.'}</p>
      ) : (
        // Focusable, so a keyboard can scroll the table sideways on a phone.
        <section class="table-wrap" tabindex={0} aria-label="Payment history table">
          <table>
            <caption class="visually-hidden">Payments, newest first (page {page})</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
                <th scope="col">Method</th>
                <th scope="col">Refunded</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr>
                  <td>{utcTime(p.createdAt)}</td>
                  <td>{p.currency === 'INR' ? rupees(p.amount) : `${p.amount / 100} ${p.currency}`}</td>
                  <td>
                    {STATUS[p.status] ?? p.status}
                    {p.status === 'failed' && p.errorDescription ? (
                      <span class="hint"> ({p.errorDescription})</span>
                    ) : null}
                  </td>
                  <td>{p.method ? (METHOD[p.method] ?? p.method) : '—'}</td>
                  <td>{refundText(p)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {page > 1 || hasNext ? (
        <nav class="actions" aria-label="Payment pages">
          {page > 1 ? (
            <a rel="prev" href={`/account?page=${page - 1}#payments`}>
              Newer payments
            </a>
          ) : null}
          <span>Page {page}</span>
          {hasNext ? (
            <a rel="next" href={`/account?page=${page + 1}#payments`}>
              Older payments
            </a>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
