import { describe, expect, it } from 'vitest';
import { accumulateDeltas, catalogDelta, collapseByTable, compareCatalog } from './schema-catalog.ts';

const core = { 'table a': 'table', 'column a.id': 'uuid not null' };
const billing = {
  ...core,
  'column a.id': 'bigint not null',
  'table b': 'table',
  'column b.x': 'text',
  'index b_pkey on b': 'CREATE UNIQUE INDEX b_pkey ON public.b USING btree (x)',
  'trigger t on b': 'CREATE TRIGGER t',
  'function f()': 'returns trigger',
};

describe('schema catalogs', () => {
  it('deltas add, redefine and remove, and sum back to each catalog', () => {
    const delta = catalogDelta(billing, core);
    expect(delta).toEqual({
      adds: { 'column a.id': 'uuid not null' },
      removes: ['column b.x', 'function f()', 'index b_pkey on b', 'table b', 'trigger t on b'],
    });
    const steps = accumulateDeltas([
      { name: '1', delta: catalogDelta({}, core) },
      { name: '2', delta: catalogDelta(core, billing) },
      { name: '3', delta },
    ]);
    expect(steps.map((s) => s.catalog)).toEqual([core, billing, core]);
  });

  it('names missing and redefined objects, and lists unexpected ones apart', () => {
    const actual = { 'table a': 'table', 'column a.id': 'uuid not null', 'index extra on a': 'x' };
    expect(compareCatalog(billing, actual)).toEqual({
      missing: ['column b.x', 'function f()', 'index b_pkey on b', 'table b', 'trigger t on b'],
      changed: ['column a.id'],
      unexpected: ['index extra on a'],
    });
  });

  it('lets a missing table stand for its columns, indexes and triggers', () => {
    const missing = compareCatalog(billing, core).missing;
    expect(collapseByTable(missing)).toEqual(['table b', 'function f()']);
    expect(collapseByTable(['trigger t on b', 'function f()', 'column a.id'])).toEqual([
      'column a.id',
      'function f()',
      'trigger t on b',
    ]);
  });
});
