import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { flagAuditRows, resetFlags } from '../../../test/support/flags.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { listenOn } from '../../adapters/db/inbox-listener.ts';
import type { FlagName } from '../../domain/flags.ts';
import type { ServiceContext } from '../context.ts';
import { EXPIRY_ACTOR } from './revert-expired-flags.ts';
import { setFlag } from './set-flag.ts';
import { type FlagsWatch, watchFlags } from './watch-flags.ts';

// No reload by the timer during a test unless it asks for one.
const NEVER = 3_600_000;

describeEachBackend('watchFlags', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  const watches: FlagsWatch[] = [];
  const watch = async (input: Parameters<typeof watchFlags>[0]['input'], ctx: ServiceContext = t.ctx) => {
    const w = await watchFlags({ ctx, input });
    watches.push(w);
    return w;
  };
  const stateOf = async (w: FlagsWatch, name: FlagName) =>
    (await w.port.stored()).find((f) => f.name === name)?.state;
  const turnOff = (reason: string, extra: { for?: string } = {}) =>
    setFlag({ ctx: t.ctx, input: { name: 'payments', state: 'off', reason, actor: 'cli:ops', ...extra } });

  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    for (const w of watches.splice(0)) await w.stop();
    await resetFlags(get().db);
  });

  it('serves the flags it read until a wake reloads them', async () => {
    const wakes = new Set<() => void>();
    const wake = (handler: () => void) => {
      wakes.add(handler);
      return () => wakes.delete(handler);
    };
    const w = await watch({ pollMs: NEVER, wake });
    await turnOff('elsewhere');
    expect(await stateOf(w, 'payments')).toBe('on');
    for (const handler of wakes) handler();
    await waitFor(async () => (await stateOf(w, 'payments')) === 'off', 5_000, 'the woken reload');
  });

  it('picks up a change made elsewhere by polling alone', async () => {
    const w = await watch({ pollMs: 20 });
    await turnOff('elsewhere');
    await waitFor(async () => (await stateOf(w, 'payments')) === 'off', 5_000, 'a poll');
  });

  it('reloads at once after a change made through its own port', async () => {
    const w = await watch({ pollMs: NEVER });
    const ctx = { ...t.ctx, flags: w.port };
    await setFlag({ ctx, input: { name: 'read_only', state: 'on', reason: 'here', actor: 'cli:ops' } });
    await waitFor(async () => (await stateOf(w, 'read_only')) === 'on', 5_000, 'the reload after a change');
  });

  it('writes back an expired flag once, however many instances notice it', async () => {
    const [a, b] = [await watch({ pollMs: NEVER }), await watch({ pollMs: NEVER })];
    await turnOff('short', { for: '1m' });
    await Promise.all([a.refresh(), b.refresh()]);
    expect(await stateOf(a, 'payments')).toBe('off');
    t.emulator.advanceClock(61);
    await Promise.all([a.refresh(), b.refresh(), a.refresh(), b.refresh()]);
    for (const w of [a, b]) {
      expect((await w.port.stored()).find((f) => f.name === 'payments')).toMatchObject({
        state: 'on',
        actor: EXPIRY_ACTOR,
        expiresAt: null,
      });
    }
    expect((await flagAuditRows(get().db)).map((r) => [r.actor, r.action])).toEqual([
      ['cli:ops', 'flag.set'],
      [EXPIRY_ACTOR, 'flag.expire'],
    ]);
  });

  it('keeps the last flags read while the database cannot be read, and says so once', async () => {
    let down = false;
    const source = t.ctx.flags;
    const flaky = {
      stored: () => (down ? Promise.reject(new Error('connection refused')) : source.stored()),
    };
    const w = await watch({ pollMs: NEVER }, { ...t.ctx, flags: flaky });
    await turnOff('before the outage');
    await w.refresh();
    down = true;
    await w.refresh();
    await w.refresh();
    expect(await stateOf(w, 'payments')).toBe('off');
    expect(t.logLines.filter((l) => l.includes('cannot read the flags'))).toHaveLength(1);
    down = false;
    await w.refresh();
    expect(t.logLines.some((l) => l.includes('flags readable again'))).toBe(true);
  });

  it('on PostgreSQL, a committed change wakes a LISTEN on polaris_flags', async (test) => {
    if (get().backend !== 'postgres') return test.skip();
    const listener = await listenOn(get().url, 'polaris_flags', { lost: () => {}, restored: () => {} });
    try {
      const w = await watch({ pollMs: NEVER, wake: listener.subscribe });
      await turnOff('notified');
      await waitFor(async () => (await stateOf(w, 'payments')) === 'off', 5_000, 'the NOTIFY');
    } finally {
      await listener.close();
    }
  });
});
