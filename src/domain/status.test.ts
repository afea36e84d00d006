import { describe, expect, it } from 'vitest';
import {
  currentStates,
  formatUptime,
  historyStart,
  type MaintenanceSpan,
  maintenancePhase,
  pageStatus,
  type StateStretch,
  stretchStep,
  uptimeBars,
} from './status.ts';

const NOW = new Date('2026-11-30T12:00:00Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);

const window = (over: Partial<MaintenanceSpan> = {}): MaintenanceSpan => ({
  id: '1',
  startsAt: at(-HOUR),
  endsAt: at(HOUR),
  message: 'Database upgrade',
  status: 'scheduled',
  components: ['database'],
  createdAt: at(-48 * HOUR),
  updatedAt: at(-48 * HOUR),
  ...over,
});

const stateOf = (states: ReturnType<typeof currentStates>, component: string) =>
  states.find((s) => s.component === component)?.state;

describe('component states', () => {
  it('puts each component in the worst state of the open incidents touching it', () => {
    const states = currentStates(
      [
        { severity: 'medium', components: ['checkout', 'api'], updatedAt: at(-HOUR) },
        { severity: 'critical', components: ['checkout'], updatedAt: at(-2 * HOUR) },
        { severity: 'high', components: ['webhooks'], updatedAt: at(-HOUR) },
      ],
      [],
      NOW,
    );
    expect(stateOf(states, 'checkout')).toBe('major_outage');
    expect(stateOf(states, 'webhooks')).toBe('partial_outage');
    expect(stateOf(states, 'api')).toBe('degraded_performance');
    expect(stateOf(states, 'web')).toBe('operational');
    expect(states.find((s) => s.component === 'checkout')?.updatedAt).toEqual(at(-HOUR));
    expect(pageStatus(states)).toEqual({ indicator: 'critical', description: 'Major System Outage' });
  });

  it('shows maintenance by the clock, before the scheduler flips the window, and never after its end', () => {
    expect(maintenancePhase(window(), NOW)).toBe('in_progress');
    expect(maintenancePhase(window({ startsAt: at(HOUR), endsAt: at(2 * HOUR) }), NOW)).toBe('scheduled');
    expect(maintenancePhase(window({ status: 'in_progress', endsAt: at(-1) }), NOW)).toBe('completed');
    const states = currentStates([], [window()], NOW);
    expect(stateOf(states, 'database')).toBe('under_maintenance');
    expect(stateOf(states, 'checkout')).toBe('operational');
    expect(pageStatus(states).indicator).toBe('maintenance');
  });

  it('covers every component with a window naming none, and an incident outranks maintenance', () => {
    const states = currentStates(
      [{ severity: 'high', components: ['api'], updatedAt: NOW }],
      [window({ components: [] })],
      NOW,
    );
    expect(stateOf(states, 'web')).toBe('under_maintenance');
    expect(stateOf(states, 'api')).toBe('partial_outage');
  });

  it('says all systems operational when nothing is open', () => {
    expect(pageStatus(currentStates([], [window({ status: 'cancelled' })], NOW))).toEqual({
      indicator: 'none',
      description: 'All Systems Operational',
    });
  });
});

describe('uptime bars', () => {
  const stretch = (state: StateStretch['state'], from: number, to: number): StateStretch => ({
    component: 'checkout',
    state,
    startedAt: at(from),
    checkedAt: at(to),
  });

  it('draws 90 UTC days ending today, counting partial and major outages as downtime', () => {
    const bars = uptimeBars(
      [stretch('operational', -12 * HOUR, -HOUR), stretch('major_outage', -HOUR, 0)],
      NOW,
    );
    const checkout = bars.find((b) => b.component === 'checkout')!;
    expect(checkout.days).toHaveLength(90);
    expect(checkout.days.at(-1)).toMatchObject({ day: '2026-11-30', worst: 'major_outage', downMs: HOUR });
    expect(checkout.days.at(-1)?.uptime).toBeCloseTo(11 / 12);
    expect(checkout.days[0]?.day).toBe('2026-09-02');
    expect(checkout.days[0]?.uptime).toBeNull();
    expect(checkout.uptime).toBeCloseTo(11 / 12);
    expect(bars.find((b) => b.component === 'web')?.uptime).toBeNull();
  });

  it('splits a stretch across midnight and leaves unobserved time out of the figure', () => {
    const [bar] = uptimeBars([stretch('degraded_performance', -14 * HOUR, -10 * HOUR)], NOW, 2);
    expect(bar?.days.map((d) => [d.day, d.observedMs / HOUR, d.uptime])).toEqual([
      ['2026-11-29', 2, 1],
      ['2026-11-30', 2, 1],
    ]);
  });

  it('counts a single sighting (no duration) by its state', () => {
    const [bar] = uptimeBars([stretch('partial_outage', -HOUR, -HOUR)], NOW, 1);
    expect(bar?.days[0]).toMatchObject({ worst: 'partial_outage', uptime: 0 });
  });

  it('starts the history at midnight UTC 89 days before today', () => {
    expect(historyStart(NOW).toISOString()).toBe('2026-09-02T00:00:00.000Z');
    expect(formatUptime(0.99996)).toBe('99.99 %');
    expect(formatUptime(null)).toBe('no data');
  });
});

describe('history steps', () => {
  const latest = { id: '7', state: 'operational' as const, checkedAt: at(-60_000) };

  it('extends the same state, closes and starts on a change, and starts afresh after a gap', () => {
    expect(stretchStep(undefined, 'operational', NOW, HOUR)).toEqual({ extend: null, start: true });
    expect(stretchStep(latest, 'operational', NOW, HOUR)).toEqual({ extend: '7', start: false });
    expect(stretchStep(latest, 'major_outage', NOW, HOUR)).toEqual({ extend: '7', start: true });
    expect(stretchStep(latest, 'operational', NOW, 30_000)).toEqual({ extend: null, start: true });
  });
});
