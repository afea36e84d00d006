import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { parseSince } from './since.ts';

const NOW = new Date('2026-11-30T12:00:00Z');

describe('parseSince', () => {
  it('reads minutes, hours, days and past ISO dates', () => {
    expect(parseSince('30m', NOW)).toEqual(new Date('2026-11-30T11:30:00Z'));
    expect(parseSince('24h', NOW)).toEqual(new Date('2026-11-29T12:00:00Z'));
    expect(parseSince(' 7d ', NOW)).toEqual(new Date('2026-11-23T12:00:00Z'));
    expect(parseSince('2026-11-29T08:00Z', NOW)).toEqual(new Date('2026-11-29T08:00:00Z'));
    expect(parseSince('2026-11-01', NOW)).toEqual(new Date('2026-11-01T00:00:00Z'));
  });

  it.each([
    ['yesterday', /expected a window like 30m, 24h or 7d/],
    ['24', /expected a window like/],
    ['-1h', /expected a window like/],
    ['1w', /expected a window like/],
    ['2027-01-01', /expected a window like/],
    ['2026-13-45', /expected a window like/],
    ['0h', /between 1m and 366d/],
    ['400d', /between 1m and 366d/],
  ])('refuses %s with a bad_request naming --since', (text, message) => {
    expect(() => parseSince(text, NOW)).toThrow(AppError);
    expect(() => parseSince(text, NOW)).toThrow(message);
    expect(() => parseSince(text, NOW)).toThrow(/^--since /);
  });
});
