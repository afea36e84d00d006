import { describe, expect, it } from 'vitest';
import { parseNoteTag, splitNote, taggedNote } from './incident-notes.ts';
import { formatDuration, rupees } from './incident-report.ts';

describe('incident note tags', () => {
  it.each([
    ['Root cause: expired cert', 'root-cause', 'expired cert'],
    ['RCA:  expired cert ', 'root-cause', 'expired cert'],
    ['follow_up: renew alerts', 'follow-up', 'renew alerts'],
    ['prevent: alert on expiry', 'prevention', 'alert on expiry'],
    ['Lessons: watch certs', 'lesson', 'watch certs'],
    ['note: not a tag', null, 'note: not a tag'],
    ['https://status.example: down', null, 'https://status.example: down'],
    ['plain text', null, 'plain text'],
  ])('%j reads as tag %s', (message, tag, text) => {
    expect(splitNote(message)).toEqual({ tag, text });
  });

  it('--tag writes the prefix once and refuses unknown tags', () => {
    expect(taggedNote(parseNoteTag('Root Cause'), 'expired cert')).toBe('root-cause: expired cert');
    expect(taggedNote('root-cause', 'root-cause: expired cert')).toBe('root-cause: expired cert');
    expect(() => parseNoteTag('rumour')).toThrow(
      "tag: 'rumour' is not one of summary, impact, root-cause, resolution, lesson, prevention, follow-up, security",
    );
  });

  it('formats durations and rupees as the report prints them', () => {
    expect([null, 45_000, 725_000, 3 * 3_600_000 + 20 * 60_000, 52 * 3_600_000].map(formatDuration)).toEqual([
      'not yet',
      '45s',
      '12m 5s',
      '3h 20m',
      '2d 4h',
    ]);
    expect(rupees(669_700)).toBe('₹6,697.00');
    expect(rupees(12_345_678_900)).toBe('₹12,34,56,789.00');
  });
});
