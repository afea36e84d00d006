/** One API request as the request log records it (issue 9 §3). */
export type RequestLogEntry = {
  userId: string | null;
  method: string;
  path: string;
  status: number;
  ip: string | null;
  userAgent: string | null;
  durationMs: number;
  requestId: string;
  at: Date;
};

/** Where the HTTP layer hands entries: queue them and return at once (adapters/db/request-log-writer.ts). */
export type RequestLogSink = { record(entry: RequestLogEntry): void };

// better-auth's GET reset-password/:token carries a live token in the path; the log keeps the route only.
const TOKEN_IN_PATH = /^(\/api\/auth\/reset-password)\/[^/]+$/;

/** The path as stored: without any secret it may carry. */
export function loggablePath(path: string): string {
  return path.replace(TOKEN_IN_PATH, '$1/:token');
}
