import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../test/support/context.ts';
import type { LogFormat } from './logger.ts';

const SECRET = 'sekrit-value-4f2a9c';

describe.each<LogFormat>(['json', 'pretty'])('the %s logger', (format) => {
  it('never writes a secret, wherever it sits in the logged object', () => {
    const { log, lines } = captureLogger('info', format);
    log.info(
      {
        password: SECRET,
        secret: SECRET,
        razorpay: { keySecret: SECRET, webhookSecret: SECRET },
        user: { password: SECRET },
        headers: {
          authorization: `Bearer ${SECRET}`,
          cookie: `session=${SECRET}`,
          'x-razorpay-signature': SECRET,
        },
        request: { headers: { authorization: `Bearer ${SECRET}`, cookie: `session=${SECRET}` } },
        kept: 'visible',
      },
      'configured',
    );
    log.child({ password: SECRET }).warn('child bindings too');
    const output = lines.join('');
    expect(lines).toHaveLength(2);
    expect(output).not.toContain(SECRET);
    expect(output).toContain('[redacted]');
    expect(output).toContain('visible');
  });

  it('writes each entry as one line', () => {
    const { log, lines } = captureLogger('info', format);
    log.info(
      { url: 'http://localhost:3000', database: 'postgres://127.0.0.1:5433/postgres' },
      'polaris ready',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]?.trimEnd().split('\n')).toHaveLength(1);
    expect(stripVTControlCharacters(lines[0] ?? '')).toContain('polaris ready');
  });
});

describe('the pretty logger', () => {
  it('shows the time, level and message, not the JSON envelope', () => {
    const { log, lines } = captureLogger('info', 'pretty');
    log.warn({ attempt: 2 }, 'inbox listener lost');
    const line = stripVTControlCharacters(lines[0] ?? '');
    expect(line).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] WARN: inbox listener lost \{"attempt":2\}\n$/);
  });
});
