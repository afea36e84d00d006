/**
 * Razorpay's hosted page for a subscription (`short_url`) when it is a web address we can link
 * to, else null: the page renders it as a link, so a value of any other scheme is never kept.
 */
export function hostedPageUrl(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string' || raw.length > 2048) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
