import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LogFormat } from '../adapters/logger.ts';
import { chooseLogFormat, type LogFormatInput } from './logging.ts';

describe('chooseLogFormat', () => {
  it.each<[string, LogFormatInput, LogFormat]>([
    ['a terminal in development', { env: 'development', isTty: true, override: undefined }, 'pretty'],
    ['a terminal in test', { env: 'test', isTty: true, override: undefined }, 'pretty'],
    ['a pipe or file in development', { env: 'development', isTty: false, override: undefined }, 'json'],
    ['a terminal in production', { env: 'production', isTty: true, override: undefined }, 'json'],
    ['a pipe in production', { env: 'production', isTty: false, override: undefined }, 'json'],
    ['LOG_FORMAT=json on a terminal', { env: 'development', isTty: true, override: 'json' }, 'json'],
    ['LOG_FORMAT=pretty on a pipe', { env: 'development', isTty: false, override: 'pretty' }, 'pretty'],
  ])('picks the format for %s', (_name, input, expected) => {
    expect(chooseLogFormat(input)).toBe(expected);
  });
});

const LINES = 3000;
const logging = fileURLToPath(new URL('./logging.ts', import.meta.url));

/** Runs a process that logs through processLogger on a piped stdout, then exits at once, as runCli does. */
function logThenExit(logFormat: LogFormat | undefined): string[] {
  const code = `
    const { processLogger } = await import(${JSON.stringify(logging)});
    const log = processLogger({ env: 'development', logFormat: ${JSON.stringify(logFormat)} }, 'info', process.stdout);
    for (let i = 0; i < ${LINES}; i++) log.info({ i }, 'line');
    log.info('the last line');
    process.exit(0);`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.trimEnd().split('\n');
}

describe('processLogger', () => {
  it('writes JSON on a pipe and loses no line when the process exits right after logging', () => {
    const lines = logThenExit(undefined);
    expect(lines).toHaveLength(LINES + 1);
    expect(JSON.parse(lines.at(-1) ?? '')).toMatchObject({ msg: 'the last line', service: 'polaris' });
  });

  it('loses no pretty line when the process exits right after logging', () => {
    const lines = logThenExit('pretty');
    expect(lines).toHaveLength(LINES + 1);
    expect(lines.at(-1)).toMatch(/\] INFO: the last line$/);
  });
});
