import type { ServiceContext } from '../../services/context.ts';

/** What CLI commands get from the composition root (src/main.ts). */
export type CliRuntime = {
  /** The URL psql can use for the configured database, and a note when nothing serves it now. */
  databaseUrl: () => { url: string; note?: string };
  /** Opens the database as a client (or owns the embedded folder when no server runs), runs, closes. */
  withContext: <T>(work: (ctx: ServiceContext) => Promise<T>) => Promise<T>;
  /** Runs server, worker and scheduler until a signal arrives. */
  startServer: () => Promise<void>;
};
