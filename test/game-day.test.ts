import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GameDaySeams } from '../src/services/game-day/game-day-types.ts';
import { gameDaySeams, openGameDayWorld } from '../src/wiring/game-day.ts';
import { runCliWith } from './support/cli-in-process.ts';
import { createTestContext } from './support/context.ts';
import { describeEachBackend } from './support/databases.ts';

type Outcome = {
  ok: boolean;
  steps: { n: number; name: string; status: string; detail: string; notWired?: string }[];
  report: { figures: { failedPayments: { count: number } } } | null;
  notifications: { key: string; template: string }[];
};

describeEachBackend('polaris drill incident (game day)', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get(), { startTime: Math.floor(Date.now() / 1000) });
  });
  afterAll(async () => {
    await t?.close();
  });
  const drill = (seams: GameDaySeams) =>
    runCliWith(t.ctx, ['--json', 'drill', 'incident'], { gameDay: { open: openGameDayWorld, seams } });
  const liveCounts = async () => {
    const db = get().db;
    const count = async (table: 'incidents' | 'payments' | 'subscriptions' | 'user_profiles') =>
      Number((await db.selectFrom(table).select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return {
      incidents: await count('incidents'),
      payments: await count('payments'),
      subscriptions: await count('subscriptions'),
      users: await count('user_profiles'),
    };
  };

  it('drives the real alert rules and escalation ladder: every step passes, exit 0, live data untouched', async () => {
    const before = await liveCounts();
    const r = await drill(gameDaySeams);
    const outcome = JSON.parse(r.stdout) as Outcome;
    expect(
      outcome.steps.filter((s) => s.status !== 'pass'),
      r.stdout,
    ).toEqual([]);
    expect(r.code).toBe(0);
    expect(outcome.report?.figures.failedPayments.count).toBe(3);
    const templates = new Set(outcome.notifications.map((n) => n.template));
    expect([...templates].sort()).toEqual(['incident-page', 'status-update-due']);
    expect(await liveCounts()).toEqual(before);
    const audit = await get()
      .db.selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'drill.incident')
      .execute();
    expect(audit.at(-1)?.details).toMatchObject({ ok: true });
  });

  it('a build without the alert or escalation part fails those steps by name and exits 1', async () => {
    const r = await drill({});
    const outcome = JSON.parse(r.stdout) as Outcome;
    expect(r.code, r.stdout).toBe(1);
    expect(outcome.steps.filter((s) => s.status !== 'pass').map((s) => [s.n, s.notWired ?? null])).toEqual([
      [2, 'evaluateAlerts'],
      [4, 'runEscalations'],
    ]);
    expect(outcome.steps[1]?.detail).toMatch(/^NOT WIRED: evaluateAlerts is not in this build yet/);
  });
});
