import type { Logger } from '../../adapters/logger.ts';

import type { Caller } from '../../services/users/caller.ts';

export type { Caller };

/** Per-request values every route can read with c.get(). */
export type AppEnv = { Variables: { requestId: string; log: Logger; caller: Caller | null } };
