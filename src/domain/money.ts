/** Paise as rupees for people: `₹3,499` or `₹3,499.50`, with Indian digit grouping. */
export function rupees(paise: number): string {
  return `₹${(paise / 100).toLocaleString('en-IN', { maximumFractionDigits: 2 })}`;
}
