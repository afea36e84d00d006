import type { Logger } from '../../adapters/logger.ts';

/** Who is asking, once the session (or admin token) is resolved. */
export type Caller = { userId: string; role: 'user' | 'admin'; email: string };

/** Per-request values every route can read with c.get(). */
export type AppEnv = { Variables: { requestId: string; log: Logger; caller: Caller | null } };
