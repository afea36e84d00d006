/** Razorpay retries a failed delivery for 24 h, signed as first sent: the overlap a rotation needs. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** How one configured webhook secret has been used: events in the window, first and last use ever. */
export type SecretUse = {
  role: 'current' | 'previous';
  fingerprint: string;
  recentEvents: number;
  firstUsedAt: Date | null;
  lastUsedAt: Date | null;
};

/** Where a webhook secret rotation stands, and what to do next. */
export type RotationState =
  | { stage: 'none'; message: string }
  | { stage: 'dashboard_pending' | 'overlap'; message: string; droppableAfter: Date | null }
  | { stage: 'droppable'; message: string };

const iso = (d: Date) => d.toISOString();
const DROP =
  'drop it (unset RAZORPAY_WEBHOOK_SECRET_PREVIOUS and deploy; in development the next rotation replaces it)';

/**
 * Reads a rotation from the use of each secret: Razorpay still signing with the previous one
 * (change the dashboard), an overlap (previous deliveries may still be retried), or done (drop it).
 */
export function rotationState(current: SecretUse, previous: SecretUse | undefined, now: Date): RotationState {
  if (!previous) return { stage: 'none', message: 'no rotation in progress (no previous secret configured)' };
  const last = previous.lastUsedAt;
  if (current.lastUsedAt === null && last !== null) {
    return {
      stage: 'dashboard_pending',
      message: `Razorpay still signs with the previous secret (last event ${iso(last)}) and no event has used the current one yet: set the current secret in Razorpay's dashboard`,
      droppableAfter: null,
    };
  }
  if (last === null) {
    return {
      stage: 'droppable',
      message: `no stored event was ever verified with the previous secret: ${DROP}`,
    };
  }
  const after = new Date(last.getTime() + RETRY_WINDOW_MS);
  if (now >= after) {
    return {
      stage: 'droppable',
      message: `no event has used the previous secret since ${iso(last)} (over 24 h): ${DROP}`,
    };
  }
  return {
    stage: 'overlap',
    message: `the previous secret verified an event at ${iso(last)}; Razorpay may retry deliveries signed with it until ${iso(after)}: keep it until then`,
    droppableAfter: after,
  };
}
