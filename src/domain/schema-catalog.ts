/**
 * A database schema as a flat map from object to definition. Keys name the object and its kind:
 * "table user_profiles", "column user_profiles.email", "constraint user_profiles.user_profiles_pkey",
 * "index user_profiles_email_key on user_profiles", "function get_active_subscription(p_user_id uuid)",
 * "trigger trigger_sync_subscription_to_user_profile on subscriptions".
 */
export type SchemaCatalog = Readonly<Record<string, string>>;

/** What one migration adds (or redefines) and removes, relative to the catalog before it. */
export type SchemaDelta = { adds: Record<string, string>; removes: string[] };

/** How a database differs from the catalog it should have. */
export type SchemaDrift = {
  /** Expected objects that do not exist. */
  missing: string[];
  /** Objects that exist with another definition. */
  changed: string[];
  /** Objects that exist but no migration made (informational: a hand-made index is no fault). */
  unexpected: string[];
};

/** The delta that turns `before` into `after`. */
export function catalogDelta(before: SchemaCatalog, after: SchemaCatalog): SchemaDelta {
  const adds: Record<string, string> = {};
  for (const [key, definition] of Object.entries(after)) {
    if (before[key] !== definition) adds[key] = definition;
  }
  const removes = Object.keys(before).filter((key) => !(key in after));
  return { adds, removes: removes.sort() };
}

/** Applies a delta to a catalog (the inverse of catalogDelta). */
export function applyDelta(base: SchemaCatalog, delta: SchemaDelta): SchemaCatalog {
  const next: Record<string, string> = { ...base };
  for (const key of delta.removes) delete next[key];
  Object.assign(next, delta.adds);
  return next;
}

/** Compares a database's catalog with the expected one. */
export function compareCatalog(expected: SchemaCatalog, actual: SchemaCatalog): SchemaDrift {
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [key, definition] of Object.entries(expected)) {
    if (!(key in actual)) missing.push(key);
    else if (actual[key] !== definition) changed.push(key);
  }
  const unexpected = Object.keys(actual).filter((key) => !(key in expected));
  return { missing: missing.sort(), changed: changed.sort(), unexpected: unexpected.sort() };
}

/** The names of the objects of one kind ("table", "column", ...) among catalog keys. */
export function namesOfKind(keys: Iterable<string>, kind: string): string[] {
  const prefix = `${kind} `;
  return [...keys].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
}

/** The table an object key belongs to (its own name for a table); undefined for a function. */
export function tableOf(key: string): string | undefined {
  const [kind, name = ''] = key.split(' ', 2);
  if (kind === 'table') return name;
  if (kind === 'column' || kind === 'constraint') return name.split('.')[0];
  if (kind === 'index' || kind === 'trigger') return key.split(' on ').at(-1);
  return undefined;
}

const KIND_ORDER = ['table', 'column', 'function', 'trigger', 'index', 'constraint'];
const kindRank = (key: string) => KIND_ORDER.indexOf(key.slice(0, key.indexOf(' ')));

/**
 * Object keys with the parts of each listed table left out ("table payments" stands for its
 * columns, indexes and triggers), tables first, then columns, functions, triggers, indexes, constraints.
 */
export function collapseByTable(keys: string[]): string[] {
  const tables = new Set(namesOfKind(keys, 'table'));
  return keys
    .filter((key) => key.startsWith('table ') || !tables.has(tableOf(key) ?? ''))
    .sort((a, b) => kindRank(a) - kindRank(b) || a.localeCompare(b));
}

/** Tables that hold accounts: a rollback that drops any of them loses who can sign in. */
export const ACCOUNT_TABLES = ['auth_user', 'auth_account', 'user_profiles'] as const;

/** One migration's entry in the expected schema: its delta and the whole catalog it leaves. */
export type ExpectedStep = { name: string; delta: SchemaDelta; catalog: SchemaCatalog };

/** Sums deltas in migration order into the catalog each migration must leave. */
export function accumulateDeltas(entries: { name: string; delta: SchemaDelta }[]): ExpectedStep[] {
  let catalog: SchemaCatalog = {};
  return entries.map(({ name, delta }) => {
    catalog = applyDelta(catalog, delta);
    return { name, delta, catalog };
  });
}
