import { createLogger, type LogFormat, type Logger, logDestination } from '../adapters/logger.ts';
import type { Config } from '../config.ts';

/** What decides the log format: LOG_FORMAT when set, else the environment and whether a person reads the stream. */
export type LogFormatInput = { env: Config['env']; isTty: boolean; override: LogFormat | undefined };

/** Pretty on a terminal outside production; JSON for pipes, files and production, unless LOG_FORMAT says. */
export function chooseLogFormat({ env, isTty, override }: LogFormatInput): LogFormat {
  if (override) return override;
  return isTty && env !== 'production' ? 'pretty' : 'json';
}

/** The process's logger on stdout or stderr, in the format that stream's reader wants. */
export function processLogger(
  config: Config,
  level: string,
  stream: NodeJS.WriteStream & { fd: number },
): Logger {
  const format = chooseLogFormat({
    env: config.env,
    isTty: stream.isTTY === true,
    override: config.logFormat,
  });
  return createLogger(level, logDestination(stream.fd, format), format);
}
