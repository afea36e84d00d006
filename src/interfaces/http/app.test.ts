import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/logger.ts';
import type { Readiness } from '../../services/health/check-readiness.ts';
import { createHttpApp } from './app.ts';

function appWith(readiness: Readiness) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = createHttpApp({ log: createLogger('info', sink), readiness: async () => readiness });
  return { app, lines };
}

const healthy: Readiness = { ok: true, checks: { database: { ok: true, detail: 'postgres reachable' } } };

describe('HTTP app', () => {
  it('answers liveness 200 and readiness 200 or 503 with one entry per check', async () => {
    const { app } = appWith(healthy);
    expect((await app.request('/api/health')).status).toBe(200);
    const ready = await app.request('/api/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual(healthy);
    const down: Readiness = {
      ok: false,
      checks: {
        database: { ok: false, detail: 'connection refused' },
        migrations: { ok: false, detail: 'database unreachable' },
      },
    };
    const notReady = await appWith(down).app.request('/api/health/ready');
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual(down);
  });

  it('answers unknown routes with a JSON 404 in the error shape, with the request id', async () => {
    const res = await appWith(healthy).app.request('/api/nothing-here', {
      headers: { 'X-Request-Id': 'req-123' },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'no route for GET /api/nothing-here', requestId: 'req-123' },
    });
  });

  it('answers a known path with the wrong method with a JSON 405 and an Allow header', async () => {
    const res = await appWith(healthy).app.request('/api/health', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('method_not_allowed');
    expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs each request as one JSON line and replaces a malformed incoming request id', async () => {
    const { app, lines } = appWith(healthy);
    const res = await app.request('/api/nothing-here', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    const id = res.headers.get('x-request-id');
    expect(id).not.toBe('bad id with spaces');
    const entry = JSON.parse(lines.at(-1)!);
    expect(entry).toMatchObject({
      msg: 'request',
      method: 'GET',
      path: '/api/nothing-here',
      status: 404,
      requestId: id,
    });
  });
});
