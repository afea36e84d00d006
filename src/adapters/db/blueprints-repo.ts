import type { Executor } from './executor.ts';

/** Queries for blueprints and their quota counters. */
export function createBlueprintsRepo(db: Executor) {
  void db;
  return {};
}
