import type { CompiledQuery } from 'kysely';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Database } from '../../src/adapters/db/schema.ts';

/** One plan node of EXPLAIN (FORMAT JSON), as far as the benches read it. */
export type PlanNode = {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
};

/** What EXPLAIN (ANALYZE) told about one query: its nodes, the indexes used, the time taken. */
export type Explained = { nodes: string[]; indexes: string[]; seqScans: string[]; ms: number };

const walk = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(walk)];

/** A Kysely over `pool` that records every query it runs into `into`, so a repo's reads can be EXPLAINed. */
export function recordingKysely(pool: pg.Pool, into: CompiledQuery[]): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') into.push(event.query);
    },
  });
}

/** Runs EXPLAIN (ANALYZE, BUFFERS) on one compiled query with its own parameters. */
export async function explain(pool: pg.Pool, query: CompiledQuery): Promise<Explained> {
  const result = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query.sql}`, [
    ...query.parameters,
  ]);
  const plan = (result.rows[0] as { 'QUERY PLAN': { Plan: PlanNode; 'Execution Time': number }[] })[
    'QUERY PLAN'
  ][0]!;
  const nodes = walk(plan.Plan);
  return {
    nodes: nodes.map((n) => n['Node Type']),
    indexes: nodes.flatMap((n) => (n['Index Name'] ? [n['Index Name']] : [])),
    seqScans: nodes.flatMap((n) => (n['Node Type'] === 'Seq Scan' ? [n['Relation Name'] ?? '?'] : [])),
    ms: Math.round(plan['Execution Time'] * 1000) / 1000,
  };
}

/** A one-line summary of a plan: its top node, the indexes it used, the tables it scanned whole. */
export function describePlan(e: Explained): string {
  const via = e.indexes.length > 0 ? ` via ${[...new Set(e.indexes)].join(', ')}` : '';
  const seq = e.seqScans.length > 0 ? `, seq scan of ${e.seqScans.join(', ')}` : '';
  return `${e.nodes[0]}${via}${seq}, ${e.ms.toFixed(3)} ms`;
}
