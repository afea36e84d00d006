import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Fourteen random base62 characters: the body of every Razorpay id and a whole webhook event id. */
export function base62Id(length = 14): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const byte = bytes[i] as number;
    // Reject the top of the byte range so every character is equally likely.
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out.length === length ? out : base62Id(length);
}

/** Entity id prefixes exactly as Razorpay spells them. */
export const ID_PREFIX = {
  plan: 'plan_',
  item: 'item_',
  customer: 'cust_',
  subscription: 'sub_',
  invoice: 'inv_',
  lineItem: 'li_',
  order: 'order_',
  payment: 'pay_',
  refund: 'rfnd_',
  card: 'card_',
  account: 'acc_',
  addon: 'ao_',
} as const;

/** A new id for an entity kind: prefix plus 14 base62 characters. */
export function newId(kind: keyof typeof ID_PREFIX): string {
  return `${ID_PREFIX[kind]}${base62Id()}`;
}

/** True when `id` has the prefix of `kind` and 14 base62 characters after it. */
export function isIdOf(kind: keyof typeof ID_PREFIX, id: string): boolean {
  return new RegExp(`^${ID_PREFIX[kind]}[0-9A-Za-z]{14}$`).test(id);
}
