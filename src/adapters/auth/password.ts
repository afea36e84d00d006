import { AsyncLocalStorage } from 'node:async_hooks';
import { availableParallelism } from 'node:os';
import { hashPassword, verifyPassword } from 'better-auth/crypto';

// scrypt runs on libuv's four threads; four at once on two cores starve the event loop, and with
// it every transaction waiting for its next statement. One core is left for everything else.
const HASHING_SLOTS = Math.max(1, availableParallelism() - 1);
let busy = 0;
const waiting: (() => void)[] = [];

async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (busy >= HASHING_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  else busy++;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next waiter, so `busy` only drops when nobody waits.
    const next = waiting.shift();
    if (next) next();
    else busy--;
  }
}

const precomputed = new AsyncLocalStorage<{ password: string; hash: string }>();

/**
 * better-auth's own scrypt hashing (node:crypto, same stored format) with bounded concurrency,
 * except that a hash computed in advance for this very password is used as is: sign-up hashes
 * inside its transaction, and scrypt there held a pooled connection for the whole hash.
 */
export const passwordHashing = {
  hash: async (password: string): Promise<string> => {
    const ready = precomputed.getStore();
    return ready && ready.password === password ? ready.hash : inSlot(() => hashPassword(password));
  },
  verify: ({ hash, password }: { hash: string; password: string }) =>
    inSlot(() => verifyPassword({ hash, password })),
};

/** Hashes `password` before `work` runs (outside any transaction), so better-auth's hash inside it is instant. */
export async function withPasswordHashedFirst<T>(password: string, work: () => Promise<T>): Promise<T> {
  const hash = await inSlot(() => hashPassword(password));
  return precomputed.run({ password, hash }, work);
}
