import type { ColumnType } from 'kysely';
import type { FlagName, FlagState } from '../../domain/flags.ts';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** One kill switch (migrations/0004_system_flags): its state, why, by whom, since and until when. */
export interface SystemFlagsTable {
  name: FlagName;
  state: FlagState;
  message: string | null;
  reason: string;
  actor: string;
  set_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: NullableTimestamp;
}

/** The flags tables Kysely knows; Database in schema.ts extends this. */
export interface FlagsTables {
  system_flags: SystemFlagsTable;
}
