import { AsyncLocalStorage } from 'node:async_hooks';
import { hashPassword, verifyPassword } from 'better-auth/crypto';

const precomputed = new AsyncLocalStorage<{ password: string; hash: string }>();

/**
 * better-auth's own scrypt hashing (node:crypto, same stored format), except that a hash computed
 * in advance for this very password is used as is: sign-up hashes inside its transaction, and
 * scrypt there held a pooled connection for the whole hash.
 */
export const passwordHashing = {
  hash: async (password: string): Promise<string> => {
    const ready = precomputed.getStore();
    return ready && ready.password === password ? ready.hash : hashPassword(password);
  },
  verify: ({ hash, password }: { hash: string; password: string }) => verifyPassword({ hash, password }),
};

/** Hashes `password` before `work` runs (outside any transaction), so better-auth's hash inside it is instant. */
export async function withPasswordHashedFirst<T>(password: string, work: () => Promise<T>): Promise<T> {
  const hash = await hashPassword(password);
  return precomputed.run({ password, hash }, work);
}
