import { describe, expect, it } from 'vitest';
import { RETRY_WINDOW_MS, rotationState, type SecretUse } from './webhook-rotation.ts';

const NOW = new Date('2026-11-29T12:00:00Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const use = (role: SecretUse['role'], lastUsedAt: Date | null): SecretUse => ({
  role,
  fingerprint: role === 'current' ? 'aaaaaaaaaaaaaaaa' : 'bbbbbbbbbbbbbbbb',
  recentEvents: lastUsedAt ? 1 : 0,
  firstUsedAt: lastUsedAt,
  lastUsedAt,
});

describe('rotationState', () => {
  it('is none without a previous secret', () => {
    expect(rotationState(use('current', ago(1)), undefined, NOW).stage).toBe('none');
  });

  it("waits for Razorpay's dashboard while only the previous secret signs events", () => {
    const state = rotationState(use('current', null), use('previous', ago(1)), NOW);
    expect(state.stage).toBe('dashboard_pending');
    expect(state.message).toContain("set the current secret in Razorpay's dashboard");
  });

  it('keeps the previous secret until 24 h after the last event it verified', () => {
    const state = rotationState(use('current', ago(1)), use('previous', ago(2)), NOW);
    expect(state).toMatchObject({
      stage: 'overlap',
      droppableAfter: new Date(ago(2).getTime() + RETRY_WINDOW_MS),
    });
    expect(state.message).toContain('signed with it until 2026-11-30T10:00:00.000Z: keep it until then');
  });

  it('says to drop the previous secret once 24 h pass without it, or when it never verified anything', () => {
    const stale = rotationState(use('current', ago(1)), use('previous', ago(25)), NOW);
    expect(stale.stage).toBe('droppable');
    expect(stale.message).toMatch(
      /since 2026-11-28T11:00:00.000Z \(over 24 h\): drop it \(unset RAZORPAY_WEBHOOK_SECRET_PREVIOUS/,
    );
    expect(rotationState(use('current', ago(1)), use('previous', null), NOW).stage).toBe('droppable');
  });
});
