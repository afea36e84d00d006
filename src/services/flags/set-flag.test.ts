import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { flagAuditRows, resetFlags, storedFlags } from '../../../test/support/flags.ts';
import { getFlags } from './get-flags.ts';
import { setFlag } from './set-flag.ts';

describeEachBackend('setFlag', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetFlags(get().db);
  });

  it('starts with every flag in its normal state, seeded by the migration', async () => {
    const view = await getFlags({ ctx: t.ctx });
    expect(view.flags.map((f) => [f.name, f.state, f.active])).toEqual([
      ['payments', 'on', false],
      ['maintenance', 'off', false],
      ['read_only', 'off', false],
    ]);
  });

  it('writes the flag and its audit row together; --for sets the expiry from now', async () => {
    const now = t.ctx.now();
    const change = await setFlag({
      ctx: t.ctx,
      input: {
        name: 'maintenance',
        state: 'on',
        reason: ' db upgrade ',
        message: 'Back at 14:00',
        for: '30m',
        actor: 'cli:ops',
      },
    });
    expect(change.previous.state).toBe('off');
    expect(change.flag).toMatchObject({
      name: 'maintenance',
      state: 'on',
      reason: 'db upgrade',
      message: 'Back at 14:00',
      actor: 'cli:ops',
      expiresAt: new Date(now.getTime() + 30 * 60_000),
    });
    expect((await storedFlags(get().db)).maintenance).toMatchObject({ state: 'on', actor: 'cli:ops' });
    expect(await flagAuditRows(get().db)).toEqual([
      {
        actor: 'cli:ops',
        action: 'flag.set',
        target: 'maintenance',
        reason: 'db upgrade',
        details: {
          from: 'off',
          to: 'on',
          message: 'Back at 14:00',
          expiresAt: new Date(now.getTime() + 30 * 60_000).toISOString(),
        },
      },
    ]);
    // Turning it off clears the message and the expiry.
    const off = await setFlag({
      ctx: t.ctx,
      input: { name: 'maintenance', state: 'off', reason: 'done', actor: 'cli:ops' },
    });
    expect(off.flag).toMatchObject({ state: 'off', message: null, expiresAt: null });
  });

  it.each([
    [
      { name: 'nope', state: 'on', reason: 'x' },
      'not_found',
      "unknown flag 'nope'; the flags are payments, maintenance, read_only",
    ],
    [
      { name: 'payments', state: 'off' },
      'bad_request',
      'reason: required; say why (it goes to the audit log)',
    ],
    [
      { name: 'payments', state: 'off', reason: '   ' },
      'bad_request',
      'reason: required; say why (it goes to the audit log)',
    ],
    [
      { name: 'payments', state: 'off', reason: 'x', for: '30x' },
      'bad_request',
      "for: cannot read '30x'; use a duration like 90s, 30m, 2h, 1d or 1h30m (at most 30d)",
    ],
    [
      { name: 'payments', state: 'on', reason: 'x', for: '30m' },
      'bad_request',
      'for: only a mode being turned on expires; payments on is the normal state',
    ],
    [
      { name: 'maintenance', state: 'on', reason: 'x' },
      'bad_request',
      'message: required when turning maintenance on (the banner shows it)',
    ],
    [
      { name: 'read_only', state: 'maybe', reason: 'x' },
      'bad_request',
      "state: must be on or off, not 'maybe'",
    ],
  ])('refuses %j with %s, writing nothing', async (input, code, message) => {
    const before = await storedFlags(get().db);
    await expect(setFlag({ ctx: t.ctx, input: { ...input, actor: 'cli:ops' } })).rejects.toMatchObject({
      code,
      message,
    });
    expect(await storedFlags(get().db)).toEqual(before);
    expect(await flagAuditRows(get().db)).toEqual([]);
  });

  it('concurrent flips: the last write wins and every one is audited', async () => {
    const flips = ['off', 'on', 'off', 'on', 'off'].map((state, i) =>
      setFlag({ ctx: t.ctx, input: { name: 'payments', state, reason: `flip ${i}`, actor: `cli:op${i}` } }),
    );
    await Promise.all(flips);
    const audit = (await flagAuditRows(get().db)).filter((r) => r.target === 'payments');
    expect(audit).toHaveLength(5);
    // Serialised by the row lock: each audit row's "from" is the state the one before it left.
    for (let i = 1; i < audit.length; i++) {
      expect((audit[i]!.details as { from: string }).from).toBe((audit[i - 1]!.details as { to: string }).to);
    }
    const last = audit.at(-1)!;
    expect((await storedFlags(get().db)).payments).toMatchObject({
      state: (last.details as { to: string }).to,
      actor: last.actor,
      reason: last.reason,
    });
  });

  it('reports that PAYMENTS_ENABLED=false still holds payments off after payments on', async () => {
    const ctx = { ...t.ctx, settings: { ...t.ctx.settings, paymentsEnabled: false } };
    const change = await setFlag({
      ctx,
      input: { name: 'payments', state: 'on', reason: 'x', actor: 'cli:ops' },
    });
    expect(change.effective).toMatchObject({ state: 'off', source: 'env', storedState: 'on' });
  });
});
