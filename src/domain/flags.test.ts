import { describe, expect, it } from 'vitest';
import {
  describeFlags,
  effectiveFlags,
  type FlagName,
  type FlagState,
  normalFlag,
  parseDuration,
  parseFlagName,
  refusePayments,
  refuseWrite,
  type StoredFlag,
} from './flags.ts';

const NOW = new Date('2026-11-30T12:00:00Z');
const flag = (name: FlagName, state: FlagState, extra: Partial<StoredFlag> = {}): StoredFlag => ({
  ...normalFlag(name),
  state,
  reason: 'test',
  actor: 'cli:ops',
  setAt: new Date('2026-11-30T11:00:00Z'),
  ...extra,
});
const view = (rows: StoredFlag[], paymentsEnvOff = false) =>
  effectiveFlags(rows, { paymentsEnvOff, now: NOW });

describe('flag names and durations', () => {
  it('reads each flag name, its spellings of read-only, and nothing else', () => {
    expect(['payments', 'Maintenance', 'read_only', 'read-only', 'readonly'].map(parseFlagName)).toEqual([
      'payments',
      'maintenance',
      'read_only',
      'read_only',
      'read_only',
    ]);
    for (const bad of ['nope', '', 'payment', 'read only']) expect(parseFlagName(bad), bad).toBeUndefined();
  });

  it('reads 90s, 30m, 2h, 1d and 1h30m, and refuses the unreadable, zero and more than 30 days', () => {
    expect(['90s', '30m', '2h', '1d', '1h30m', ' 5M '].map(parseDuration)).toEqual([
      90_000, 1_800_000, 7_200_000, 86_400_000, 5_400_000, 300_000,
    ]);
    for (const bad of ['30x', '30', 'm', '', '0m', '-5m', '31d', '1.5h', 'soon']) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });
});

describe('effectiveFlags', () => {
  it('defaults a missing row to its normal state, with nothing active', () => {
    const v = view([]);
    expect(v.flags.map((f) => [f.name, f.state, f.active, f.source])).toEqual([
      ['payments', 'on', false, 'stored'],
      ['maintenance', 'off', false, 'stored'],
      ['read_only', 'off', false, 'stored'],
    ]);
  });

  it('treats a flag whose expiry has passed as back to normal before anyone writes it back', () => {
    const v = view([
      flag('maintenance', 'on', { expiresAt: new Date(NOW.getTime() - 1) }),
      flag('read_only', 'on', { expiresAt: new Date(NOW.getTime() + 1) }),
    ]);
    expect(v.byName.maintenance).toMatchObject({
      state: 'off',
      active: false,
      source: 'expired',
      storedState: 'on',
    });
    expect(v.byName.read_only).toMatchObject({ state: 'on', active: true, source: 'stored' });
  });

  it('PAYMENTS_ENABLED=false wins over a stored on; a stored off holds whatever the env says', () => {
    expect(view([flag('payments', 'on')], true).byName.payments).toMatchObject({
      state: 'off',
      active: true,
      source: 'env',
      storedState: 'on',
    });
    expect(view([flag('payments', 'off')], false).byName.payments).toMatchObject({
      state: 'off',
      source: 'stored',
    });
  });

  it('describes the active modes and each source for readiness, without actor or reason', () => {
    const text = describeFlags(
      view(
        [flag('payments', 'on'), flag('maintenance', 'on', { expiresAt: new Date('2026-11-30T12:30:00Z') })],
        true,
      ),
    );
    expect(text).toBe(
      'active: payments, maintenance; payments off (PAYMENTS_ENABLED=false overrides the stored on), maintenance on (stored, until 2026-11-30T12:30:00.000Z), read-only off (stored)',
    );
    expect(describeFlags(view([]))).toBe(
      'active: none; payments on (stored), maintenance off (stored), read-only off (stored)',
    );
    expect(text).not.toContain('cli:ops');
  });
});

describe('the write decision', () => {
  const kinds = ['data', 'session', 'flags', 'exempt'] as const;
  const decide = (rows: StoredFlag[]) =>
    kinds.flatMap((kind) =>
      [false, true].map(
        (admin) =>
          `${kind}${admin ? '+admin' : ''}:${refuseWrite(view(rows), { kind, admin }, NOW)?.code ?? 'ok'}`,
      ),
    );

  it('normal: everything passes', () => {
    expect(decide([]).every((d) => d.endsWith(':ok'))).toBe(true);
  });

  it('maintenance: only non-admin data writes are refused', () => {
    expect(decide([flag('maintenance', 'on', { message: 'back at 14:00' })])).toEqual([
      'data:maintenance',
      'data+admin:ok',
      'session:ok',
      'session+admin:ok',
      'flags:ok',
      'flags+admin:ok',
      'exempt:ok',
      'exempt+admin:ok',
    ]);
  });

  it('read-only: data and sessions are refused for everyone, flags and exempt paths pass; it wins over maintenance', () => {
    expect(decide([flag('read_only', 'on'), flag('maintenance', 'on')])).toEqual([
      'data:read_only',
      'data+admin:read_only',
      'session:read_only',
      'session+admin:read_only',
      'flags:ok',
      'flags+admin:ok',
      'exempt:ok',
      'exempt+admin:ok',
    ]);
  });

  it('a refusal carries the message and waits until the expiry, or a minute without one', () => {
    const timed = refuseWrite(
      view([
        flag('maintenance', 'on', { message: 'back at 14:00', expiresAt: new Date(NOW.getTime() + 90_500) }),
      ]),
      { kind: 'data', admin: false },
      NOW,
    );
    expect(timed).toEqual({
      code: 'maintenance',
      message: 'Polaris is under maintenance: back at 14:00; changes are paused, reads keep working',
      retryAfterSeconds: 91,
    });
    expect(refusePayments(view([flag('payments', 'off')]), NOW)).toEqual({
      code: 'payments_disabled',
      message: 'payments are paused; no checkout or plan change can start, and nothing was charged',
      retryAfterSeconds: 60,
    });
    expect(refusePayments(view([], true), NOW)?.message).toMatch(
      /^payments are switched off \(PAYMENTS_ENABLED=false\)/,
    );
    expect(refusePayments(view([]), NOW)).toBeNull();
  });
});
