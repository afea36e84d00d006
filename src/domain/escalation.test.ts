import { describe, expect, it } from 'vitest';
import {
  cadenceKey,
  dueEscalations,
  dueReminder,
  escalationKey,
  type ScheduledIncident,
} from './escalation.ts';
import { defaultPolicy, parsePolicy } from './policy.ts';

const T0 = new Date('2026-11-30T03:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const incident = (
  severity: ScheduledIncident['severity'],
  status: ScheduledIncident['status'] = 'investigating',
) => ({ id: '7', severity, status, detectedAt: T0 }) satisfies ScheduledIncident;
const levels = (severity: ScheduledIncident['severity'], minutes: number) =>
  dueEscalations(incident(severity), defaultPolicy(), at(minutes)).map((d) => d.level);

describe('the escalation ladder', () => {
  it('pages the on-call engineer at open, the team lead after 1 h and the manager after 4 h', () => {
    expect(levels('high', 0)).toEqual([1]);
    expect(levels('high', 59)).toEqual([1]);
    expect(levels('high', 60)).toEqual([1, 2]);
    expect(levels('high', 240)).toEqual([1, 2, 3]);
    expect(levels('high', 60 * 24 * 30)).toEqual([1, 2, 3]);
  });

  it('pages the CTO at once for a critical incident only', () => {
    expect(levels('critical', 0)).toEqual([1, 4]);
    expect(levels('critical', 60)).toEqual([1, 2, 4]);
  });

  it('pages nobody once the incident is resolved', () => {
    expect(dueEscalations(incident('critical', 'resolved'), defaultPolicy(), at(600))).toEqual([]);
  });

  it('dates each level from detection', () => {
    const [, two] = dueEscalations(incident('low'), defaultPolicy(), at(90));
    expect(two).toEqual({ level: 2, role: 'team lead', dueAt: at(60) });
  });

  it("follows a policy file's ladder", () => {
    const parsed = parsePolicy({
      escalation: [
        { level: 1, role: 'primary', after: 'open' },
        { level: 2, role: 'secondary', after: '10m', immediatelyFor: ['high'] },
      ],
    });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(dueEscalations(incident('medium'), parsed.policy, at(9)).map((d) => d.level)).toEqual([1]);
    expect(dueEscalations(incident('high'), parsed.policy, at(0)).map((d) => d.level)).toEqual([1, 2]);
  });

  it('names each page by incident and level', () => {
    expect(escalationKey('7', 2)).toBe('escalation:7:2');
    expect(cadenceKey('7', 3)).toBe('cadence:7:3');
  });
});

describe('the status-update cadence', () => {
  const none = { lastPublicUpdate: null, lastReminder: null };

  it('is due one cadence after detection with no public update (critical 15 min, high 30 min)', () => {
    expect(dueReminder(incident('critical'), defaultPolicy(), none, at(14))).toBeUndefined();
    expect(dueReminder(incident('critical'), defaultPolicy(), none, at(15))).toEqual({
      step: 1,
      dueAt: at(15),
    });
    expect(dueReminder(incident('high'), defaultPolicy(), none, at(29))).toBeUndefined();
    expect(dueReminder(incident('high'), defaultPolicy(), none, at(31))).toEqual({ step: 1, dueAt: at(30) });
  });

  it('counts from the last public update', () => {
    const seen = { lastPublicUpdate: at(10), lastReminder: null };
    expect(dueReminder(incident('critical'), defaultPolicy(), seen, at(24))).toBeUndefined();
    expect(dueReminder(incident('critical'), defaultPolicy(), seen, at(25))).toEqual({
      step: 1,
      dueAt: at(25),
    });
  });

  it('repeats one cadence after the last reminder, numbering them', () => {
    const seen = { lastPublicUpdate: null, lastReminder: { step: 1, dueAt: at(15) } };
    expect(dueReminder(incident('critical'), defaultPolicy(), seen, at(29))).toBeUndefined();
    expect(dueReminder(incident('critical'), defaultPolicy(), seen, at(30))).toEqual({
      step: 2,
      dueAt: at(30),
    });
  });

  it('sends one reminder for the latest period after the scheduler was down', () => {
    expect(dueReminder(incident('critical'), defaultPolicy(), none, at(100))).toEqual({
      step: 1,
      dueAt: at(90),
    });
  });

  it('stops once the incident is resolved', () => {
    expect(dueReminder(incident('critical', 'resolved'), defaultPolicy(), none, at(100))).toBeUndefined();
  });
});
