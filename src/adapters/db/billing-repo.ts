import type { Executor } from './executor.ts';

/** Queries for subscriptions and payments as the state machine writes them. */
export function createBillingRepo(db: Executor) {
  void db;
  return {};
}
