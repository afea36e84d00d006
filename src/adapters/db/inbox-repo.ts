import type { Executor } from './executor.ts';

/** Queries for the webhook inbox (razorpay_webhook_events). */
export function createInboxRepo(db: Executor) {
  void db;
  return {};
}
