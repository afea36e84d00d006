/** Rate limits loose enough for suites that sign up and in many times (production's are strict; see config.ts). */
export const LOOSE_RATE_LIMITS = {
  signIn: { max: 100_000, windowSeconds: 1 },
  signUp: { max: 100_000, windowSeconds: 1 },
};

/** The auth settings createTestContext wires: a fixed secret, ADMIN_TOKEN and loose rate limits for tests. */
export const TEST_AUTH = {
  secret: 'test-auth-secret-0123456789abcdef0123456789',
  adminToken: 'test-admin-token-0123456789abcdef',
  baseUrl: 'http://localhost:3000',
  rateLimit: LOOSE_RATE_LIMITS,
} as const;

/** The session cookie(s) a better-auth response sets, as one Cookie header value. */
export function cookiesFrom(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}

type Requester = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** POSTs JSON to a path of the app as a browser on PUBLIC_BASE_URL would (Origin set). */
export function postJson(app: Requester, path: string, body: unknown, cookie?: string) {
  return app.request(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: TEST_AUTH.baseUrl,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(body),
  });
}

/** Signs up through POST /api/auth/sign-up/email and returns the response and its session cookie. */
export async function signUp(
  app: Requester,
  email: string,
  password = 'correct-horse-battery',
  name = 'Test',
) {
  const res = await postJson(app, '/api/auth/sign-up/email', { email, password, name });
  return { res, cookie: cookiesFrom(res) };
}
