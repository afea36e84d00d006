import { AsyncLocalStorage } from 'node:async_hooks';

/** How long a reset link works: a day, since an operator hands links out by hand until mail exists. */
export const RESET_TOKEN_SECONDS = 24 * 60 * 60;

const pending = new AsyncLocalStorage<{ token?: string }>();

/**
 * better-auth's `sendResetPassword`: hands the token to the `captureResetToken` call that asked for
 * it. Nothing else receives it (no mail yet), and it is never logged.
 */
export async function deliverResetToken({ token }: { token: string }): Promise<void> {
  const slot = pending.getStore();
  if (slot) slot.token = token;
}

/** Runs `request` (better-auth's requestPasswordReset) and returns the token it issued, if any. */
export async function captureResetToken(request: () => Promise<unknown>): Promise<string | undefined> {
  const slot: { token?: string } = {};
  await pending.run(slot, request);
  return slot.token;
}
