import { createRequire } from 'node:module';
import pino from 'pino';
import type PinoPretty from 'pino-pretty';

/** The structured logger type every layer receives. */
export type Logger = pino.Logger;

/** JSON lines for machines (pipes, files, production); pretty single lines for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

const REDACT = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  '*.keySecret',
  '*.webhookSecret',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'headers["x-razorpay-signature"]',
];

/**
 * Logs at `level` to `destination` (stdout when omitted); secrets are redacted by key wherever they
 * appear, before either format is written.
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  format: LogFormat = 'json',
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'polaris' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  if (format === 'json') return pino(options, destination);
  return pino(options, prettyLines(destination ?? pino.destination({ dest: 1, sync: true })));
}

/** The destination for a file descriptor: pretty lines written at once, JSON buffered and flushed on exit. */
export function logDestination(fd: number, format: LogFormat): pino.DestinationStream {
  return pino.destination({ dest: fd, sync: format === 'pretty' });
}

// Loaded only when a terminal asks for it: the CLI and production pay nothing for it.
const load = createRequire(import.meta.url);

/** Rewrites each JSON line as one readable line, synchronously, so nothing waits in a worker at exit. */
function prettyLines(destination: pino.DestinationStream): pino.DestinationStream {
  const { prettyFactory } = load('pino-pretty') as typeof PinoPretty;
  const prettify = prettyFactory({
    ignore: 'pid,hostname,service',
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
  });
  return { write: (line: string) => destination.write(prettify(requestSummary(JSON.parse(line)))) };
}

/** A request entry reads `GET /api/plans 200 3.1ms <request id>`; other entries pass unchanged. */
function requestSummary(entry: Record<string, unknown>): Record<string, unknown> {
  const { method, path, status, ms, requestId, ...rest } = entry;
  if (entry.msg !== 'request' || method === undefined || path === undefined) return entry;
  return { ...rest, msg: `${method} ${path} ${status} ${ms}ms ${requestId}` };
}
