import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_AUTH } from '../../../../test/support/accounts.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { serveFullApp } from '../../../../test/support/full-app.ts';
import { loadConfig } from '../../../config.ts';

const PASSWORD = 'correct-horse-battery';

describeEachBackend('sign-in rate limit with the default configuration', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  const limits = loadConfig({ POLARIS_ENV: 'development' }).authRateLimits;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${served.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: TEST_AUTH.baseUrl, ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    t = await createTestContext(get(), { auth: { rateLimit: limits } });
    served = await serveFullApp(t.ctx);
  });
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  it('refuses the sign-in after the limit with 429 rate_limited and Retry-After, whatever address headers claim', async () => {
    const email = `limited-${get().backend}@example.com`;
    expect((await post('/api/auth/sign-up/email', { email, password: PASSWORD, name: 'L' })).status).toBe(
      200,
    );
    for (let i = 0; i < limits.signIn.max; i++) {
      // Rotating forwarded addresses must not buy more attempts: only the connection's address counts.
      const spoof = { 'x-forwarded-for': `203.0.113.${i}`, 'x-polaris-client-ip': `198.51.100.${i}` };
      const res = await post('/api/auth/sign-in/email', { email, password: `wrong-password-${i}` }, spoof);
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    const refused = await post('/api/auth/sign-in/email', { email, password: PASSWORD });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.requestId).toBe(refused.headers.get('x-request-id'));
    expect(refused.headers.getSetCookie()).toEqual([]);
  });
});

describeEachBackend('sign-in rate limit behind a trusted proxy', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  const limits = loadConfig({ TRUSTED_PROXIES: '127.0.0.1' });
  const signIn = (email: string, forwardedFor: string) =>
    fetch(`${served.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: TEST_AUTH.baseUrl,
        'x-forwarded-for': forwardedFor,
      },
      body: JSON.stringify({ email, password: 'wrong-password' }),
    });

  beforeAll(async () => {
    t = await createTestContext(get(), {
      auth: { rateLimit: limits.authRateLimits, trustedProxies: limits.trustedProxies },
    });
    served = await serveFullApp(t.ctx);
  });
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  it('counts each forwarded client on its own, by the address the proxy appended', async () => {
    const email = `proxied-${get().backend}@example.com`;
    for (let i = 0; i < limits.authRateLimits.signIn.max; i++) {
      // A client-supplied first hop does not change who the proxy says is connecting.
      expect((await signIn(email, `10.9.9.${i}, 203.0.113.7`)).status).toBe(401);
    }
    expect((await signIn(email, '203.0.113.7')).status).toBe(429);
    expect((await signIn(email, '203.0.113.8')).status).toBe(401);
  });
});
