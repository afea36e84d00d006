import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Compares through fixed-length digests so neither content nor length leaks through timing. */
export function tokensMatch(presented: string, expected: string | undefined): boolean {
  if (!expected) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}
