import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { runCliWith } from '../../../test/support/cli-in-process.ts';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetIncidents } from '../../../test/support/incidents.ts';
import { GAME_DAY_ACTION } from '../../domain/monthly-review.ts';
import { ackIncident } from '../incidents/ack-incident.ts';
import { addIncidentNote } from '../incidents/add-note.ts';
import { openIncident } from '../incidents/open-incident.ts';
import { resolveIncident } from '../incidents/resolve-incident.ts';
import { reviewMonth } from './review-month.ts';

describeEachBackend('monthly review', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  // The fake clock starts at the wall clock: audit rows and drills carry the database's time.
  beforeAll(async () => {
    t = await createTestContext(get(), { startTime: Math.floor(Date.now() / 1000) });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    const db = get().db;
    await resetIncidents(db);
    await db.deleteFrom('drills').execute();
    await db.deleteFrom('audit_log').where('action', 'in', [GAME_DAY_ACTION, 'db.rollback']).execute();
  });
  const month = () => t.ctx.now().toISOString().slice(0, 7);
  const drill = (ok: boolean) =>
    get()
      .db.insertInto('drills')
      .values({
        backup_id: '20261130T000000Z-manual',
        engine: 'pglite',
        ok,
        differing: ok ? [] : ['payments'],
        phases: JSON.stringify({ load: 1200 }),
        recovery_ms: 1500,
        actor: 'cli:ops',
        started_at: new Date(),
      })
      .execute();

  it("lists the month's incidents with TTA/TTR against the policy, drills, game days, verify and the rollback test", async () => {
    const fast = await openIncident({
      ctx: t.ctx,
      input: { severity: 'critical', type: 'payment', title: 'Checkout down', actor: 'alerts' },
    });
    t.emulator.advanceClock(10 * 60);
    await ackIncident({ ctx: t.ctx, input: { id: fast.id, actor: 'cli:asha' } });
    const slow = await openIncident({
      ctx: t.ctx,
      input: { severity: 'critical', type: 'payment', title: 'Webhooks down', actor: 'alerts' },
    });
    t.emulator.advanceClock(20 * 60);
    await ackIncident({ ctx: t.ctx, input: { id: slow.id, actor: 'cli:asha' } });
    await resolveIncident({ ctx: t.ctx, input: { id: fast.id, message: 'back', actor: 'cli:asha' } });
    await addIncidentNote({
      ctx: t.ctx,
      input: { id: fast.id, tag: 'lesson', message: 'page sooner', actor: 'cli:asha' },
    });
    await drill(false);
    await drill(true);
    await get()
      .db.insertInto('audit_log')
      .values([
        {
          actor: 'cli:ops',
          action: GAME_DAY_ACTION,
          target: 'game-day',
          details: JSON.stringify({ ok: false, failed: ['2. the alert fires'] }),
        },
        { actor: 'cli:ops', action: 'db.rollback', target: '0099', details: '{}' },
      ])
      .execute();

    const review = await reviewMonth({ ctx: t.ctx, input: {} });
    expect(review.month.label).toBe(month());
    expect(review.incidents.map((i) => [i.label, i.tta, i.respondedInTime, i.ttr])).toEqual([
      [`INC-${fast.id}`, 10 * 60_000, true, 30 * 60_000],
      [`INC-${slow.id}`, 20 * 60_000, false, null],
    ]);
    expect(review.lessons).toEqual([{ incident: `INC-${fast.id}`, text: 'lesson: page sooner' }]);
    expect(review.backupDrills.map((d) => d.ok)).toEqual([false, true]);
    expect(review.gameDays).toMatchObject([{ ok: false, failed: ['2. the alert fires'], actor: 'cli:ops' }]);
    expect(review.rollbacks).toMatchObject([{ target: '0099' }]);
    expect(review.verify).toEqual({ ok: true, failed: [], repairs: 0 });
    expect(review.rollbackTest.tested).toBe(true);
    expect(review.ok).toBe(true);
    expect(review.items.map((i) => [i.item, i.status])).toEqual([
      ['Review all incident reports from past month', 'manual'],
      ['Update response procedures based on lessons learned', 'manual'],
      ['Test emergency contact information', 'attention'],
      ['Verify rollback procedures still work', 'ok'],
      ['Update documentation as needed', 'manual'],
    ]);
    expect(review.items[0]?.detail).toBe(
      `2 incident(s): polaris incident report <id> for each; acknowledged late: INC-${slow.id}`,
    );

    const cli = await runCliWith(t.ctx, ['review', 'monthly', '--month', month()]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('✓ Verify rollback procedures still work: backup drill');
    expect(cli.stdout).toMatch(
      new RegExp(
        `│ INC-${slow.id} +│ critical +│ investigating +│ Webhooks down +│ \\S+ +│ 20m +│ NO +│ not yet +│`,
      ),
    );
  });

  it('an untested rollback path fails the review (exit 1); a past month with nothing in it says so', async () => {
    await drill(false);
    const review = await reviewMonth({ ctx: t.ctx, input: { month: month() } });
    expect(review.rollbackTest).toEqual({
      tested: false,
      detail: '1 backup drill(s), none matched: polaris db drill',
    });
    expect(review.ok).toBe(false);
    const cli = await runCliWith(t.ctx, ['review', 'monthly']);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('✗ Verify rollback procedures still work: 1 backup drill(s), none matched');
    const empty = await reviewMonth({ ctx: t.ctx, input: { month: '2020-02' } });
    expect(empty.month).toEqual({
      label: '2020-02',
      from: new Date('2020-02-01T00:00:00Z'),
      to: new Date('2020-03-01T00:00:00Z'),
    });
    expect([empty.incidents, empty.backupDrills, empty.gameDays]).toEqual([[], [], []]);
    expect(empty.rollbackTest.detail).toBe('no backup drill this month: polaris db drill');
  });

  it.each([
    ['2026-13', "month: cannot read '2026-13'; use YYYY-MM such as 2026-11"],
    ['November', "month: cannot read 'November'; use YYYY-MM such as 2026-11"],
    ['2999-01', 'month: 2999-01 has not begun'],
  ])('refuses --month %s with a clear error (exit 2)', async (raw, message) => {
    await expect(reviewMonth({ ctx: t.ctx, input: { month: raw } })).rejects.toMatchObject({
      code: 'bad_request',
      message,
    });
    const cli = await runCliWith(t.ctx, ['review', 'monthly', '--month', raw]);
    expect([cli.code, cli.stderr]).toEqual([2, `polaris: ${message}\n`]);
  });
});
