import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Something repositories run queries on: the pool, or one open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
