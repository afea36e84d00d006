import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetIncidents } from '../../../test/support/incidents.ts';
import { openIncident } from '../incidents/open-incident.ts';
import { resolveIncident } from '../incidents/resolve-incident.ts';
import { readStatus } from './read-status.ts';
import { recordComponentStates } from './record-component-states.ts';

describeEachBackend(
  'recordComponentStates: the state history behind the uptime bars',
  { migrated: true },
  (get) => {
    let t: Awaited<ReturnType<typeof createTestContext>>;
    beforeAll(async () => {
      t = await createTestContext(get());
    });
    afterAll(async () => {
      await t?.close();
    });
    beforeEach(async () => {
      await resetIncidents(get().db);
      await get().db.deleteFrom('component_state_history').execute();
    });
    const history = (component: string) =>
      get()
        .db.selectFrom('component_state_history')
        .select(['state', 'started_at', 'checked_at'])
        .where('component', '=', component as 'checkout')
        .orderBy('started_at')
        .execute();
    const record = () => recordComponentStates({ ctx: t.ctx });

    it('starts one stretch per component, then extends it while the state holds', async () => {
      const first = await record();
      expect(Object.values(first.states)).toEqual(Array(5).fill('operational'));
      t.emulator.advanceClock(60);
      await record();
      const rows = await history('checkout');
      expect(rows).toHaveLength(1);
      expect(rows[0]!.checked_at.getTime() - rows[0]!.started_at.getTime()).toBe(60_000);
    });

    it('closes the stretch and starts another when an incident changes a state, and again when it resolves', async () => {
      await record();
      t.emulator.advanceClock(60);
      const incident = await openIncident({
        ctx: t.ctx,
        input: {
          severity: 'critical',
          type: 'payment',
          title: 'Checkout down',
          components: 'checkout',
          actor: 't',
        },
      });
      const changed = await record();
      expect(changed.changed).toEqual(['checkout']);
      expect(changed.states.checkout).toBe('major_outage');
      t.emulator.advanceClock(600);
      await resolveIncident({ ctx: t.ctx, input: { id: incident.id, message: 'fixed', actor: 't' } });
      await record();
      const rows = await history('checkout');
      expect(rows.map((r) => r.state)).toEqual(['operational', 'major_outage', 'operational']);
      expect(rows[0]?.checked_at).toEqual(rows[1]?.started_at);
      expect(rows[1]!.checked_at.getTime() - rows[1]!.started_at.getTime()).toBe(600_000);
      expect(await history('web')).toHaveLength(1);

      const bars = (await readStatus({ ctx: t.ctx })).uptime.find((b) => b.component === 'checkout');
      expect(bars?.days.at(-1)?.worst).toBe('major_outage');
      expect(bars?.days.at(-1)?.uptime).toBeCloseTo(60 / 660);
    });

    it('leaves a gap when no run happened for longer than the gap limit', async () => {
      await record();
      t.emulator.advanceClock(3_600);
      await record();
      const rows = await history('api');
      expect(rows).toHaveLength(2);
      expect(rows[0]?.checked_at).toEqual(rows[0]?.started_at);
    });

    it('records once when several instances run it at the same moment', async () => {
      await Promise.all([record(), record(), record()]);
      const rows = await get().db.selectFrom('component_state_history').select('component').execute();
      expect(rows).toHaveLength(5);
    });
  },
);
