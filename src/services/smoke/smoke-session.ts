import type { HttpProbe } from '../../adapters/http-probe.ts';
import { type SmokeAccount, StepFailure } from './smoke-report.ts';

/** A signed-in session of the smoke account: requests carry its cookie and the base URL's Origin. */
export type SmokeSession = {
  request: (method: 'GET' | 'POST', path: string, body?: unknown) => ReturnType<HttpProbe>;
  signOut: () => Promise<number>;
};

/** The cookie pairs of Set-Cookie lines, as a Cookie header. */
function cookieHeader(lines: string[]): string {
  return lines
    .map((line) => line.split(';')[0]?.trim() ?? '')
    .filter((pair) => pair.includes('='))
    .join('; ');
}

/** Signs the smoke account in through better-auth's route; fails naming the status when refused. */
export async function openSmokeSession(
  http: HttpProbe,
  origin: string,
  account: SmokeAccount,
): Promise<SmokeSession> {
  const headers = { 'content-type': 'application/json', origin };
  const signIn = await http({
    method: 'POST',
    path: '/api/auth/sign-in/email',
    headers,
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  if (signIn.status !== 200) {
    throw new StepFailure(
      `sign-in of ${account.email} answered ${signIn.status}: ${signIn.text.slice(0, 200)}`,
    );
  }
  const cookie = cookieHeader(signIn.setCookies);
  if (cookie === '') throw new StepFailure('sign-in answered 200 without a session cookie');
  const request: SmokeSession['request'] = (method, path, body) =>
    http({
      method,
      path,
      headers: { ...headers, cookie },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    request,
    signOut: async () => (await request('POST', '/api/auth/sign-out', {})).status,
  };
}
