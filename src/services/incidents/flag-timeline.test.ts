import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetFlags } from '../../../test/support/flags.ts';
import { resetIncidents } from '../../../test/support/incidents.ts';
import { revertExpiredFlags } from '../flags/revert-expired-flags.ts';
import { setFlag } from '../flags/set-flag.ts';
import { openIncident } from './open-incident.ts';
import { resolveIncident } from './resolve-incident.ts';
import { showIncident } from './show-incident.ts';

describeEachBackend('flag changes on open incidents’ timelines', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetFlags(get().db);
    await resetIncidents(get().db);
  });
  const open = (title: string) =>
    openIncident({ ctx: t.ctx, input: { severity: 'high', type: 'payment', title, actor: 'cli:ops' } });
  const flagEntries = async (id: string) =>
    (await showIncident({ ctx: t.ctx, input: { id } })).timeline
      .filter((e) => e.kind === 'flag')
      .map((e) => [e.message, e.actor]);

  it('a flag change adds one entry to every open incident and none to a resolved one; a refused change adds none', async () => {
    const a = await open('A');
    const b = await open('B');
    const done = await open('C');
    await resolveIncident({ ctx: t.ctx, input: { id: done.id, message: 'fixed', actor: 'cli:ops' } });
    await setFlag({
      ctx: t.ctx,
      input: { name: 'payments', state: 'off', reason: 'declines spike', for: '1h', actor: 'cli:ops' },
    });
    await expect(
      setFlag({ ctx: t.ctx, input: { name: 'payments', state: 'maybe', reason: 'x', actor: 'cli:ops' } }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    for (const incident of [a, b]) {
      expect(await flagEntries(incident.id)).toEqual([
        ['payments off (was on); reason: declines spike', 'cli:ops'],
      ]);
    }
    expect(await flagEntries(done.id)).toEqual([]);

    // The expiry revert is a flag change too.
    t.emulator.advanceClock(2 * 3600);
    expect(await revertExpiredFlags({ ctx: t.ctx })).toEqual(['payments']);
    expect((await flagEntries(a.id))[1]).toEqual([
      expect.stringMatching(
        /^payments on \(was off\); reason: expired at \S+ \(set by cli:ops: declines spike\)$/,
      ),
      'system:expiry',
    ]);
  });
});
