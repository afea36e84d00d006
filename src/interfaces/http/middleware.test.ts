import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../../test/support/context.ts';
import type { LogFormat } from '../../adapters/logger.ts';
import type { Readiness } from '../../services/health/check-readiness.ts';
import { createHttpApp } from './app.ts';

const healthy: Readiness = { ok: true, checks: { database: { ok: true, detail: 'postgres reachable' } } };
const down: Readiness = { ok: false, checks: { database: { ok: false, detail: 'connection refused' } } };

function appLogging(level: string, format: LogFormat = 'json', readiness = healthy) {
  const { log, lines } = captureLogger(level, format);
  return { app: createHttpApp({ log, readiness: async () => readiness }), lines };
}

const entries = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the request log', () => {
  it('writes one JSON entry per request with method, path, status, duration and request id', async () => {
    const { app, lines } = appLogging('info');
    await app.request('/api/nothing-here?x=1', { method: 'POST', headers: { 'X-Request-Id': 'req-42' } });
    expect(lines).toHaveLength(1);
    const [entry] = entries(lines);
    expect(entry).toMatchObject({
      level: 30,
      msg: 'request',
      method: 'POST',
      path: '/api/nothing-here',
      status: 404,
      requestId: 'req-42',
      service: 'polaris',
    });
    expect(entry?.ms).toEqual(expect.any(Number));
  });

  it('writes one readable line per request on a terminal: method, path, status, duration, request id', async () => {
    const { app, lines } = appLogging('info', 'pretty');
    await app.request('/api/nothing-here', { headers: { 'X-Request-Id': 'req-43' } });
    expect(lines).toHaveLength(1);
    expect(stripVTControlCharacters(lines[0] ?? '')).toMatch(
      /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: GET \/api\/nothing-here 404 \d+(\.\d)?ms req-43\n$/,
    );
  });

  it('keeps passing health checks out of the info level and logs them at debug', async () => {
    const quiet = appLogging('info');
    for (const path of ['/api/health', '/api/health/ready']) {
      expect((await quiet.app.request(path)).status).toBe(200);
    }
    await quiet.app.request('/api/nothing-here');
    expect(entries(quiet.lines).map((e) => e.path)).toEqual(['/api/nothing-here']);

    const verbose = appLogging('debug');
    await verbose.app.request('/api/health');
    await verbose.app.request('/api/health/ready');
    expect(entries(verbose.lines).map((e) => [e.path, e.level, e.status])).toEqual([
      ['/api/health', 20, 200],
      ['/api/health/ready', 20, 200],
    ]);
  });

  it('logs a failing readiness check at warn', async () => {
    const { app, lines } = appLogging('info', 'json', down);
    expect((await app.request('/api/health/ready')).status).toBe(503);
    expect(entries(lines)).toMatchObject([
      { msg: 'request', path: '/api/health/ready', status: 503, level: 40 },
    ]);
  });
});
