import type { Logger } from '../../adapters/logger.ts';
import type { FlagsView } from '../../domain/flags.ts';
import type { Caller } from '../../services/users/caller.ts';

export type { Caller };

/** Per-request values every route can read with c.get(); `flags` is set on writes by flag-guard.ts. */
export type AppEnv = {
  Variables: { requestId: string; log: Logger; caller: Caller | null; flags?: FlagsView | undefined };
};
