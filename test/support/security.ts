import type { Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/adapters/db/schema.ts';
import { postJson, signUp } from './accounts.ts';
import { createTestContext } from './context.ts';
import type { TestDatabase } from './databases.ts';
import { fullApp } from './full-app.ts';

type Requester = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** The password the security suites sign up with. */
export const PASSWORD = 'correct-horse-battery';

/** Signs up `email` and returns its user id and session cookie. */
export async function signedUp(app: Requester, db: Kysely<Database>, email: string) {
  const { res, cookie } = await signUp(app, email, PASSWORD);
  if (res.status !== 200) throw new Error(`sign-up of ${email} answered ${res.status}`);
  const row = await db
    .selectFrom('auth_user')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return { userId: row.id, cookie };
}

/** Signs in; returns the status and, for a refusal, the error code. */
export async function signInAs(app: Requester, email: string, password = PASSWORD) {
  const res = await postJson(app, '/api/auth/sign-in/email', { email, password });
  const body = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: body.error?.code ?? null };
}

/** The status of an authenticated API read with this cookie: 200 signed in, 401 not. */
export async function sessionStatus(app: Requester, cookie: string): Promise<number> {
  return (await app.request('/api/usage', { headers: { cookie } })).status;
}

/** The audit rows with this action, oldest first. */
export function auditRows(db: Kysely<Database>, action: string) {
  return db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'target', 'reason', 'details'])
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

/** Registers a test context and the full app over the suite's database for the suite's lifetime. */
export function appOverSuiteDatabase(get: () => TestDatabase) {
  const h = {} as { t: Awaited<ReturnType<typeof createTestContext>>; app: ReturnType<typeof fullApp> };
  beforeAll(async () => {
    h.t = await createTestContext(get());
    h.app = fullApp(h.t.ctx);
  });
  afterAll(() => h.t?.close());
  return h;
}
