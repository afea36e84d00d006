import { describe, expect, it } from 'vitest';
import {
  checkAck,
  checkStatusUpdate,
  type Incident,
  parseComponents,
  parseIncidentId,
  parseIncidentType,
} from './incidents.ts';

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: '7',
  title: 't',
  severity: 'high',
  type: 'payment',
  status: 'investigating',
  components: [],
  commander: null,
  ruleKey: null,
  openedBy: 'a',
  startedAt: new Date(0),
  detectedAt: new Date(0),
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  updatedAt: new Date(0),
  revision: 1,
  ...over,
});

describe('incident rules', () => {
  it('reads ids as 12 or INC-12, types in any case, components as a list in a fixed order', () => {
    expect([parseIncidentId('12'), parseIncidentId('inc-12'), parseIncidentId(' INC-12 ')]).toEqual([
      '12',
      '12',
      '12',
    ]);
    expect(() => parseIncidentId('0')).toThrow("id: '0' is not an incident id");
    expect(parseIncidentType('Security.DDoS')).toBe('security.ddos');
    expect(parseComponents('web, checkout,web')).toEqual(['checkout', 'web']);
    expect(parseComponents(undefined)).toEqual([]);
  });

  it('any open status may follow any other (or repeat); resolved is final and update never resolves', () => {
    for (const from of ['investigating', 'identified', 'monitoring'] as const) {
      for (const to of ['investigating', 'identified', 'monitoring'] as const) {
        expect(() => checkStatusUpdate(incident({ status: from }), to)).not.toThrow();
      }
      expect(() => checkStatusUpdate(incident({ status: from }), 'resolved')).toThrow(
        /use polaris incident resolve 7/,
      );
    }
    expect(() => checkStatusUpdate(incident({ status: 'resolved' }), 'monitoring')).toThrow(
      /INC-7 is resolved/,
    );
  });

  it('an ack happens once', () => {
    expect(() => checkAck(incident())).not.toThrow();
    const acked = incident({ acknowledgedAt: new Date('2026-11-30T00:00:00Z'), acknowledgedBy: 'cli:a' });
    expect(() => checkAck(acked)).toThrow(
      'INC-7 was already acknowledged by cli:a at 2026-11-30T00:00:00.000Z',
    );
  });
});
