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
    t = await createTestContext(get(), { rateLimit: limits });
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
