import pino from 'pino';

/** The structured logger type every layer receives. */
export type Logger = pino.Logger;

/** JSON logs on stdout; secrets are redacted by key wherever they appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'polaris' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
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
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
