import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext, createUnreachableContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetFlags } from '../../../test/support/flags.ts';
import { resetIncidents } from '../../../test/support/incidents.ts';
import { createAlertSpool } from '../../adapters/alerts/spool.ts';
import { emergencyShutdown } from '../flags/emergency-shutdown.ts';
import { setFlag } from '../flags/set-flag.ts';
import { evaluateAlerts } from './evaluate-alerts.ts';
import { listAlerts } from './list-alerts.ts';

const START = 1_780_000_000;

describeEachBackend('evaluateAlerts: database outages and payments off', { migrated: true }, (get) => {
  let dir = '';
  let t: Awaited<ReturnType<typeof createTestContext>>;
  const spoolFile = () => join(dir, 'alerts', 'database-unreachable.json');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polaris-alerts-'));
    // The survivor comes back two minutes after the outage began.
    t = await createTestContext(get(), { startTime: START + 120 });
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await resetIncidents(get().db);
    await resetFlags(get().db);
    await get().db.deleteFrom('alert_states').execute();
  });
  const spool = () => createAlertSpool(join(dir, 'alerts'), 'web-1:4242');
  const incidents = () =>
    get()
      .db.selectFrom('incidents')
      .select(['id', 'rule_key', 'severity', 'type', 'status', 'started_at', 'detected_at'])
      .orderBy('id')
      .execute();
  const lastEntry = async (id: string) =>
    (
      await get()
        .db.selectFrom('incident_timeline')
        .select(['kind', 'message'])
        .where('incident_id', '=', id)
        .orderBy('id', 'desc')
        .limit(1)
        .execute()
    )[0];

  it('a process that cannot reach the database spools the outage under its data dir, keeping when it began, and does not throw', async () => {
    const down = await createUnreachableContext();
    try {
      const first = await evaluateAlerts({ ctx: down.ctx, input: { spool: spool() } });
      const second = await evaluateAlerts({ ctx: down.ctx, input: { spool: spool() } });
      expect(first).toMatchObject({ database: 'unreachable', spooled: { checks: 1 } });
      expect(second).toMatchObject({
        database: 'unreachable',
        spooled: { checks: 2, since: new Date(START * 1000) },
      });
      const stored = JSON.parse(await readFile(spoolFile(), 'utf8'));
      expect(stored).toMatchObject({
        since: new Date(START * 1000).toISOString(),
        checks: 2,
        instance: 'web-1:4242',
      });
      const listed = await listAlerts({ ctx: down.ctx, input: { spool: spool() } });
      expect(listed.database).toBe('unreachable');
      expect(listed.rules.find((r) => r.rule === 'database-unreachable')).toMatchObject({
        firingNow: true,
        state: 'firing',
        since: new Date(START * 1000),
      });
    } finally {
      await down.close();
    }
  });

  it('when the database answers, the spooled outage opens one critical incident started when it began, and resolves after the clear time', async () => {
    await evaluateAlerts({ ctx: t.ctx, input: { spool: spool() } });
    const [incident, ...others] = await incidents();
    expect(others).toEqual([]);
    expect(incident).toMatchObject({
      rule_key: 'database-unreachable',
      severity: 'critical',
      type: 'infrastructure.database',
      status: 'investigating',
      started_at: new Date(START * 1000),
      detected_at: new Date((START + 120) * 1000),
    });
    expect((await lastEntry(incident!.id))?.message).toMatch(
      /web-1:4242 could not reach the database from 2026-05-28T\S+ to 2026-05-28T\S+ \(2 failed checks; last error: /,
    );
    await expect(readFile(spoolFile())).rejects.toThrow(/ENOENT/);

    await evaluateAlerts({ ctx: t.ctx, input: { spool: spool() } });
    expect((await incidents())[0]?.status).toBe('investigating');
    t.emulator.advanceClock(600);
    await evaluateAlerts({ ctx: t.ctx, input: { spool: spool() } });
    expect((await incidents())[0]?.status).toBe('resolved');
    expect((await lastEntry(incident!.id))?.message).toMatch(
      /^Auto-resolved by alert database-unreachable: clear since/,
    );
  });

  it('an unreadable spool file is no outage: evaluation goes on and opens nothing', async () => {
    await writeFile(spoolFile(), 'not json');
    expect(await spool().read()).toBeUndefined();
    expect((await evaluateAlerts({ ctx: t.ctx, input: { spool: spool() } })).database).toBe('reachable');
    expect(await incidents()).toEqual([]);
  });

  it('payments switched off with no incident open opens a critical payments-impossible incident, once', async () => {
    await setFlag({
      ctx: t.ctx,
      input: { name: 'payments', state: 'off', reason: 'alerts test', actor: 'test' },
    });
    await evaluateAlerts({ ctx: t.ctx });
    await evaluateAlerts({ ctx: t.ctx });
    const opened = await incidents();
    expect(opened).toMatchObject([
      { rule_key: 'payments-impossible', severity: 'critical', type: 'payment' },
    ]);
    expect((await lastEntry(opened[0]!.id))?.message).toContain(
      'the payments flag is off and no incident is open to explain it',
    );
  });

  it('payments off by an emergency shutdown are explained by its incident: no alert opens', async () => {
    await emergencyShutdown({ ctx: t.ctx, input: { reason: 'alerts test', actor: 'test' } });
    await evaluateAlerts({ ctx: t.ctx });
    expect((await incidents()).map((i) => i.rule_key)).toEqual(['emergency-shutdown']);
  });

  it('two evaluations at once open one incident, not two', async () => {
    await setFlag({
      ctx: t.ctx,
      input: { name: 'payments', state: 'off', reason: 'alerts test', actor: 'test' },
    });
    const both = await Promise.all([evaluateAlerts({ ctx: t.ctx }), evaluateAlerts({ ctx: t.ctx })]);
    expect(both.map((b) => b.database)).toEqual(['reachable', 'reachable']);
    expect((await incidents()).map((i) => i.rule_key)).toEqual(['payments-impossible']);
  });
});
