import type { ColumnType, Generated, Selectable } from 'kysely';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** int8 comes back from pg as a string; only used as a key. */
type BigId = ColumnType<string, never, never>;

/** A Razorpay plan behind one tier, cycle and price (migrations/0003_plans_and_blueprints). */
export interface RazorpayPlansTable {
  id: Generated<BigId>;
  tier: string;
  cycle: 'monthly' | 'yearly';
  amount: number;
  currency: Generated<string>;
  razorpay_plan_id: string;
  created_at: Generated<Date>;
}

/** A stored blueprint; content is the client's JSON. */
export interface BlueprintsTable {
  id: Generated<string>;
  user_id: string;
  title: string;
  /** jsonb: written as a JSON string, read back parsed. */
  content: ColumnType<unknown, string, string>;
  status: Generated<'draft' | 'saved'>;
  saved_at: NullableTimestamp;
  created_at: Generated<Date>;
  deleted_at: NullableTimestamp;
}

/** The tables of migrations/0003_plans_and_blueprints; the Database interface extends this. */
export interface CheckoutTables {
  razorpay_plans: RazorpayPlansTable;
  blueprints: BlueprintsTable;
}

export type RazorpayPlanRow = Selectable<RazorpayPlansTable>;
export type BlueprintRow = Selectable<BlueprintsTable>;
