import type { Executor } from './executor.ts';

/** Queries for user profiles and accounts. */
export function createUsersRepo(db: Executor) {
  void db;
  return {};
}
