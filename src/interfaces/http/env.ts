import type { Logger } from '../../adapters/logger.ts';

/** Per-request values every route can read with c.get(). */
export type AppEnv = { Variables: { requestId: string; log: Logger } };
