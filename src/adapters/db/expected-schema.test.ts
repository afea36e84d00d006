import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { EXPECTED_SCHEMA_PATH, loadExpectedSchema, serializeExpectedSchema } from './expected-schema.ts';
import { loadMigrations } from './migrator.ts';
import { snapshotEachMigration } from './schema-snapshot.ts';

describeEachBackend('migrations/expected-schema.json', { migrated: false }, (get) => {
  it('is what migrating a fresh database produces, one entry per migration (else run npm run schema:snapshot)', async () => {
    const steps = await snapshotEachMigration(get().db);
    const committed = JSON.parse(readFileSync(EXPECTED_SCHEMA_PATH, 'utf8'));
    expect(JSON.parse(serializeExpectedSchema(steps))).toEqual(committed);
    expect(loadExpectedSchema().map((s) => s.name)).toEqual(loadMigrations().map((f) => f.name));
    expect(loadExpectedSchema().at(-1)?.catalog).toEqual(steps.at(-1)?.catalog);
  });
});

it('holds every table, column, function and trigger DESIGN §6 promises', () => {
  const last = loadExpectedSchema().at(-1)!.catalog;
  const promised = [
    'table user_profiles',
    ...['subscription_tier', 'subscription_id', 'blueprint_creation_count', 'blueprint_saving_count', 'role']
      .concat(['usage_period_start', 'usage_period_end', 'disabled_at'])
      .map((c) => `column user_profiles.${c}`),
    'trigger trigger_update_user_profiles_updated_at on user_profiles',
    'function update_user_profiles_updated_at()',
    'table subscriptions',
    ...['user_id', 'razorpay_subscription_id', 'razorpay_plan_id', 'subscription_tier', 'billing_cycle']
      .concat(['seats', 'status', 'current_start', 'current_end', 'cancel_at_cycle_end', 'created_at'])
      .map((c) => `column subscriptions.${c}`),
    'index subscriptions_one_live_per_user on subscriptions',
    'trigger trigger_sync_subscription_to_user_profile on subscriptions',
    'trigger trigger_update_subscriptions_updated_at on subscriptions',
    'table payments',
    ...['payment_id', 'subscription_id', 'user_id', 'razorpay_payment_id', 'razorpay_order_id']
      .concat([
        'razorpay_invoice_id',
        'amount',
        'currency',
        'status',
        'method',
        'error_message',
        'created_at',
      ])
      .map((c) => `column payments.${c}`),
    'table razorpay_webhook_events',
    ...['event_id', 'event_type', 'account_id', 'payload', 'processing_status', 'attempts', 'error_message']
      .concat(['created_at', 'processed_at'])
      .map((c) => `column razorpay_webhook_events.${c}`),
    'table request_logs',
    ...['user_id', 'method', 'path', 'status', 'ip', 'timestamp'].map((c) => `column request_logs.${c}`),
    'function get_active_subscription(p_user_id uuid)',
    'function cancel_subscription(p_user_id uuid, p_at_cycle_end boolean)',
    'function sync_subscription_to_user_profile()',
    'function calculate_user_blueprint_stats(p_user_id uuid)',
    'function increment_blueprint_creation_count(p_user_id uuid)',
  ];
  expect(promised.filter((key) => !(key in last))).toEqual([]);
});
