import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOOSE_RATE_LIMITS, TEST_AUTH } from '../../../../test/support/accounts.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { serveFullApp } from '../../../../test/support/full-app.ts';

const LIMIT = { max: 2, windowSeconds: 60 };

describeEachBackend('POST /api/auth/reset-password is rate-limited', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  beforeAll(async () => {
    t = await createTestContext(get(), { auth: { rateLimit: { ...LOOSE_RATE_LIMITS, signIn: LIMIT } } });
    served = await serveFullApp(t.ctx);
  });
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  it('answers 429 rate_limited with Retry-After once an address has guessed tokens past the sign-in limit', async () => {
    const guess = (i: number) =>
      fetch(`${served.url}/api/auth/reset-password`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: TEST_AUTH.baseUrl,
          'x-forwarded-for': `203.0.113.${i}`,
        },
        body: JSON.stringify({ token: `guess${i}`.padEnd(24, 'x'), newPassword: 'a-long-enough-password' }),
      });
    for (let i = 0; i < LIMIT.max; i++) expect((await guess(i)).status, `guess ${i + 1}`).toBe(400);
    const refused = await guess(LIMIT.max);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });
});
