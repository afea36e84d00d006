import { rupees } from '../../domain/money.ts';
import type { PlanQuote } from '../../domain/plan-quote.ts';
import type { BillingCycle } from '../../domain/plans.ts';

const PER: Record<BillingCycle, string> = { monthly: 'a month', yearly: 'a year' };

/** A quote as the pricing page prints it (the page and its script show the same words). */
export type QuoteText = { unit: string; per: string; total: string };

/** The words of a quote: the unit price, what it is per, and the total for the seats. */
export function quoteText(quote: PlanQuote, perSeat: boolean): QuoteText {
  const per = perSeat ? `per seat ${PER[quote.cycle]}` : PER[quote.cycle];
  const seats = `${quote.seats} seat${quote.seats === 1 ? '' : 's'}`;
  return {
    unit: rupees(quote.unitPaise),
    per,
    total: perSeat ? `${rupees(quote.amountPaise)} ${PER[quote.cycle]} for ${seats}` : '',
  };
}
