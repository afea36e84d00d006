import { describe, expect, it } from 'vitest';
import { readable, renderTemplate, utcTime } from './notification-templates.ts';

const site = { statusUrl: 'https://smartslate.test/status', supportAddress: 'support@smartslate.test' };

describe('the runbook templates filled with real figures', () => {
  it('Maintenance Notification states the date, the UTC times and the duration of the window', () => {
    const message = renderTemplate(
      'maintenance-notice',
      { startsAt: '2026-12-05T22:00:00Z', endsAt: '2026-12-06T00:30:00Z', message: 'Database upgrade' },
      site,
    );
    expect(message.subject).toBe('Scheduled Maintenance - SmartSlate Platform');
    expect(message.text).toContain('Date: 2026-12-05\nTime: 22:00 - 00:30 (UTC)\nDuration: 2 h 30 min\n');
    expect(message.text).toContain('Database upgrade');
    expect(message.text).toContain('Status Page: https://smartslate.test/status');
  });

  it('Service Outage keeps only the impact lines the components make true, and the ETA when one is given', () => {
    const api = renderTemplate(
      'service-outage',
      { incidentId: '7', components: 'checkout,api', eta: '2 hours' },
      site,
    );
    expect(api.text).toContain(
      '- Unable to process new subscription payments\n- Existing subscriptions remain active\n- Also affected: api',
    );
    expect(api.text).not.toContain('Blueprint creation continues to work');
    expect(api.text).toContain('ETA: We expect to restore service within 2 hours.');
    const webhooks = renderTemplate('service-outage', { incidentId: '7', components: 'webhooks' }, site);
    expect(webhooks.text).not.toContain('Unable to process new subscription payments');
  });

  it('says what is missing instead of printing undefined', () => {
    const page = renderTemplate('incident-page', {}, site);
    expect(page.text).not.toContain('undefined');
    expect(page.text).toContain('Started: unknown');
    expect(utcTime('yesterday')).toBe('yesterday');
    expect([readable('15m'), readable('1h'), readable('1d'), readable('soon')]).toEqual([
      '15 minutes',
      '1 hour',
      '1 day',
      'soon',
    ]);
  });
});
