import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../test/support/context.ts';
import { loadConfig } from '../config.ts';
import { notificationsPort } from './notifications.ts';

const channelsOf = (env: Record<string, string>) =>
  Object.keys(notificationsPort(loadConfig(env), captureLogger().log).channels).sort();

describe('notification channels from the configuration', () => {
  it('has the log alone (mail to the log) outside production when nothing is set', () => {
    expect(channelsOf({})).toEqual(['console', 'email']);
    const port = notificationsPort(
      loadConfig({ PUBLIC_BASE_URL: 'https://app.smartslate.test' }),
      captureLogger().log,
    );
    expect(port.supportAddress).toBe('status@app.smartslate.test');
  });

  it('adds SMTP, Slack and the signed webhook when configured, and ALERT_EMAIL for empty roster levels', () => {
    const env = {
      SMTP_URL: 'smtp://127.0.0.1:2525',
      SLACK_WEBHOOK_URL: 'https://hooks.slack.test/T/B/x',
      NOTIFY_WEBHOOK_URL: 'https://hooks.example/polaris',
      NOTIFY_WEBHOOK_SECRET: 'a-secret-of-sixteen+',
      NOTIFY_FROM: 'SmartSlate Status <status@smartslate.test>',
      ALERT_EMAIL: 'oncall@smartslate.test',
    };
    expect(channelsOf(env)).toEqual(['console', 'email', 'slack', 'webhook']);
    const port = notificationsPort(loadConfig(env), captureLogger().log);
    expect([port.supportAddress, port.alertAddress]).toEqual([
      'status@smartslate.test',
      'oncall@smartslate.test',
    ]);
  });

  it('in production without SMTP_URL has no email channel, so mail fails naming SMTP_URL instead of going to the log', () => {
    const production = {
      POLARIS_ENV: 'production',
      DATABASE_URL: 'postgresql://u:p@db/app',
      RAZORPAY_KEY_ID: 'rzp_live_abc123',
      RAZORPAY_KEY_SECRET: 'live-secret-123',
      RAZORPAY_WEBHOOK_SECRET: 'live-webhook-123',
      AUTH_SECRET: 'x'.repeat(32),
    };
    expect(channelsOf(production)).toEqual(['console']);
  });
});
