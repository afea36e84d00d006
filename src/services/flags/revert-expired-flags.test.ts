import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { flagAuditRows, resetFlags, storedFlags } from '../../../test/support/flags.ts';
import { getFlags } from './get-flags.ts';
import { EXPIRY_ACTOR, revertExpiredFlags } from './revert-expired-flags.ts';
import { setFlag } from './set-flag.ts';

describeEachBackend('revertExpiredFlags', { migrated: true }, (get) => {
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

  it('does nothing before the expiry; after it, acts as normal at once and is reverted exactly once by racing instances', async () => {
    await setFlag({
      ctx: t.ctx,
      input: { name: 'payments', state: 'off', reason: 'incident', for: '30m', actor: 'cli:ops' },
    });
    expect(await revertExpiredFlags({ ctx: t.ctx, input: { names: ['payments'] } })).toEqual([]);
    expect((await getFlags({ ctx: t.ctx })).byName.payments.active).toBe(true);

    t.emulator.advanceClock(30 * 60);
    // Expired but not yet written back: already normal for every reader.
    expect((await getFlags({ ctx: t.ctx })).byName.payments).toMatchObject({
      state: 'on',
      source: 'expired',
    });
    const racing = await Promise.all(
      Array.from({ length: 6 }, () =>
        revertExpiredFlags({ ctx: t.ctx, input: { names: ['payments', 'maintenance'] } }),
      ),
    );
    expect(racing.flat()).toEqual(['payments']);
    expect((await storedFlags(get().db)).payments).toMatchObject({
      state: 'on',
      actor: EXPIRY_ACTOR,
      expires_at: null,
    });
    const audit = await flagAuditRows(get().db);
    expect(audit.map((r) => [r.actor, r.action, r.target])).toEqual([
      ['cli:ops', 'flag.set', 'payments'],
      [EXPIRY_ACTOR, 'flag.expire', 'payments'],
    ]);
    expect(audit[1]!.reason).toMatch(/^expired at .+ \(set by cli:ops: incident\)$/);
    expect(audit[1]!.details).toMatchObject({ from: 'off', to: 'on' });
  });

  it('leaves a flag alone that was set again, without an expiry, before anyone reverted it', async () => {
    await setFlag({
      ctx: t.ctx,
      input: { name: 'read_only', state: 'on', reason: 'a', for: '1m', actor: 'cli:ops' },
    });
    t.emulator.advanceClock(61);
    await setFlag({ ctx: t.ctx, input: { name: 'read_only', state: 'on', reason: 'b', actor: 'cli:ops' } });
    expect(await revertExpiredFlags({ ctx: t.ctx, input: { names: ['read_only'] } })).toEqual([]);
    expect((await getFlags({ ctx: t.ctx })).byName.read_only.active).toBe(true);
  });
});
