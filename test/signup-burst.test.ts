import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_AUTH } from './support/accounts.ts';
import { createTestContext } from './support/context.ts';
import { describeEachBackend } from './support/databases.ts';
import { serveFullApp } from './support/full-app.ts';

const BURST = 50;

// Issue 7 §9: 24 concurrent sign-ups once exhausted the pool (scrypt ran inside better-auth's
// sign-up transaction) and got an empty 500. The pool here is production's size (10; 1 on PGlite).
describeEachBackend('a burst of sign-ups over HTTP', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;

  beforeAll(async () => {
    t = await createTestContext(get());
    served = await serveFullApp(t.ctx);
  });
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  it(`signs up ${BURST} people at once: every one 200 with a session, one user and one profile each`, async () => {
    const emails = Array.from({ length: BURST }, (_, i) => `burst-${i}-${get().backend}@example.com`);
    const answers = await Promise.all(
      emails.map(async (email) => {
        const res = await fetch(`${served.url}/api/auth/sign-up/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: TEST_AUTH.baseUrl },
          body: JSON.stringify({ email, password: 'correct-horse-battery', name: 'Burst' }),
        });
        return { status: res.status, body: await res.text(), cookie: res.headers.getSetCookie().length };
      }),
    );
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers.every((a) => a.cookie > 0)).toBe(true);
    const { rows } = await sql<{ users: number; profiles: number }>`
      SELECT (SELECT count(*)::int FROM auth_user WHERE email LIKE 'burst-%') AS users,
             (SELECT count(*)::int FROM user_profiles WHERE email LIKE 'burst-%') AS profiles`.execute(
      get().db,
    );
    expect(rows[0]).toEqual({ users: BURST, profiles: BURST });
  }, 180_000);
});
