import type { Executor } from './executor.ts';

/** Queries for the Razorpay plan ids of each tier and cycle. */
export function createRazorpayPlansRepo(db: Executor) {
  void db;
  return {};
}
