import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createStartingApp } from './starting-app.ts';

describe('the app served while Polaris starts', () => {
  const app = createStartingApp(pino({ level: 'silent' }));

  it('answers a webhook delivery 503 with Retry-After, never 404, so Razorpay retries it', async () => {
    const res = await app.request('/api/webhooks/razorpay', {
      method: 'POST',
      headers: {
        'x-razorpay-signature': 'ab',
        'x-razorpay-event-id': 'evt_1',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('unavailable');
    expect(body.error.message).toMatch(/starting/);
    expect(body.error.requestId).toBeTruthy();
  });

  it('answers every other route 503 too, pages included', async () => {
    for (const [method, path] of [
      ['POST', '/api/auth/sign-in/email'],
      ['GET', '/api/usage'],
      ['GET', '/pricing'],
    ] as const) {
      expect((await app.request(path, { method })).status, `${method} ${path}`).toBe(503);
    }
  });

  it('keeps liveness 200 and readiness 503 "starting"', async () => {
    expect((await app.request('/api/health')).status).toBe(200);
    const ready = await app.request('/api/health/ready');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      ok: false,
      checks: { database: { ok: false, detail: 'starting' } },
    });
  });
});
