import { describe, expect, it } from 'vitest';
import {
  checkWindowSpan,
  dueSteps,
  type MaintenanceWindow,
  parseWindowId,
  parseWindowTime,
  spanText,
} from './maintenance.ts';

const H = 3_600_000;
const T0 = new Date('2026-12-01T00:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * H);
const windowOf = (over: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
  id: '3',
  startsAt: at(48),
  endsAt: at(50),
  message: 'Database upgrade',
  components: [],
  notify: true,
  status: 'scheduled',
  createdBy: 'cli:ops',
  createdAt: T0,
  updatedAt: T0,
  noticeQueuedAt: null,
  reminderQueuedAt: null,
  startedAt: null,
  endedAt: null,
  cancelledBy: null,
  ...over,
});

describe('maintenance windows: times, spans and due steps', () => {
  it('reads ISO times with their zone only, naming the field and an example', () => {
    expect(parseWindowTime('start', '2026-12-01T07:30+05:30')).toEqual(new Date('2026-12-01T02:00:00Z'));
    expect(parseWindowTime('end', ' 2026-12-01T02:00:00.5Z ')).toEqual(new Date('2026-12-01T02:00:00.500Z'));
    for (const raw of ['2026-12-01 02:00', '2026-12-01T02:00', 'tomorrow', '2026-13-01T02:00Z']) {
      expect(() => parseWindowTime('start', raw)).toThrow(
        `start: cannot read '${raw}'; use an ISO time with its zone, such as 2026-12-01T02:00:00Z or 2026-12-01T07:30:00+05:30`,
      );
    }
    expect(() => parseWindowTime('end', undefined)).toThrow('end: required');
  });

  it('refuses an end not after the start, a start in the past or over a year ahead, and a window over 24 h', () => {
    const check = (s: number, e: number) => () => checkWindowSpan({ startsAt: at(s), endsAt: at(e) }, T0);
    expect(check(2, 26)).not.toThrow();
    expect(check(2, 1)).toThrow('end: 2026-12-01T01:00:00.000Z is not after start 2026-12-01T02:00:00.000Z');
    expect(check(2, 2)).toThrow('is not after start');
    expect(check(0, 1)).toThrow(
      'start: 2026-12-01T00:00:00.000Z is in the past (now 2026-12-01T00:00:00.000Z); for maintenance now use polaris maintenance on --for <duration>',
    );
    expect(check(366 * 24, 366 * 24 + 1)).toThrow('is more than 365 days ahead');
    expect(check(2, 26.5)).toThrow('end: the window lasts 24h30m; at most 24h');
  });

  it('parses ids as 3 or MW-3 and writes spans as 2h, 90m, 1h30m', () => {
    expect([parseWindowId('3'), parseWindowId('mw-12')]).toEqual(['3', '12']);
    expect(() => parseWindowId('next')).toThrow("id: 'next' is not a maintenance window id");
    expect([spanText(2 * H), spanText(H / 2), spanText(1.5 * H)]).toEqual(['2h', '30m', '1h30m']);
  });

  it('schedules the notice once, the reminder only after an early notice, start, end, and a missed window', () => {
    expect(dueSteps(windowOf(), at(1))).toEqual(['notice']);
    expect(dueSteps(windowOf({ notify: false }), at(1))).toEqual([]);
    const noticed = windowOf({ noticeQueuedAt: at(1) });
    expect(dueSteps(noticed, at(23))).toEqual([]);
    expect(dueSteps(noticed, at(24))).toEqual(['reminder']);
    expect(dueSteps(windowOf({ noticeQueuedAt: at(30) }), at(31))).toEqual([]);
    const reminded = windowOf({ noticeQueuedAt: at(1), reminderQueuedAt: at(24) });
    expect(dueSteps(reminded, at(48))).toEqual(['start']);
    // A scheduler that was down past the reminder time sends no reminder after the start.
    expect(dueSteps(noticed, at(48))).toEqual(['start']);
    expect(dueSteps(windowOf({ status: 'in_progress', noticeQueuedAt: at(1) }), at(49))).toEqual([]);
    expect(dueSteps(windowOf({ status: 'in_progress', noticeQueuedAt: at(1) }), at(50))).toEqual(['end']);
    // Never noticed (the outbox was down): the notice still goes out while the window runs.
    expect(dueSteps(windowOf({ status: 'in_progress' }), at(49))).toEqual(['notice']);
    expect(dueSteps(windowOf(), at(51))).toEqual(['missed']);
    for (const status of ['completed', 'cancelled'] as const)
      expect(dueSteps(windowOf({ status }), at(49))).toEqual([]);
  });
});
