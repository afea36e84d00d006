import { afterAll, beforeAll, expect, it } from 'vitest';
import { setFlag } from '../src/services/flags/set-flag.ts';
import { signUp } from './support/accounts.ts';
import { createTestContext } from './support/context.ts';
import { describeEachBackend } from './support/databases.ts';
import { resetFlags } from './support/flags.ts';
import { fullApp } from './support/full-app.ts';

const DAY_MS = 86_400_000;
// Reads that resolve a session: our session middleware, and better-auth's own two GET endpoints.
const READS = ['/api/blueprints', '/api/auth/get-session', '/api/auth/list-sessions'];

describeEachBackend(
  'read-only mode: reading a session never refreshes its row',
  { migrated: true },
  (get) => {
    let t: Awaited<ReturnType<typeof createTestContext>>;
    let app: ReturnType<typeof fullApp>;
    let cookie = '';
    let sessionId = '';

    const mode = (state: 'on' | 'off') =>
      setFlag({ ctx: t.ctx, input: { name: 'read_only', state, reason: 'session test', actor: 'test' } });
    const sessionRow = () =>
      get().db.selectFrom('auth_session').selectAll().where('id', '=', sessionId).executeTakeFirstOrThrow();
    // Five days old with two left: past better-auth's default updateAge (a day), so a read would refresh it.
    const age = () =>
      get()
        .db.updateTable('auth_session')
        .set({ updated_at: new Date(Date.now() - 5 * DAY_MS), expires_at: new Date(Date.now() + 2 * DAY_MS) })
        .where('id', '=', sessionId)
        .execute();

    beforeAll(async () => {
      t = await createTestContext(get());
      app = fullApp(t.ctx);
      await resetFlags(get().db);
      const signedUp = await signUp(app, 'ro-session@example.com');
      expect(signedUp.res.status).toBe(200);
      cookie = signedUp.cookie;
      const row = await get().db.selectFrom('auth_session').select('id').executeTakeFirstOrThrow();
      sessionId = row.id;
    });
    afterAll(async () => {
      await resetFlags(get().db);
      await t?.close();
    });

    it.each(READS)(
      'GET %s with an old session leaves its row as it was in read-only, and refreshes it once lifted',
      async (path) => {
        await age();
        const aged = await sessionRow();
        await mode('on');
        const held = await app.request(path, { headers: { cookie } });
        expect(held.status).toBe(200);
        // Still signed in: the session answers and no cookie is set or cleared.
        expect(held.headers.getSetCookie()).toEqual([]);
        if (path === '/api/auth/get-session') {
          expect(await held.json()).toMatchObject({ session: { id: sessionId } });
        }
        expect(JSON.stringify(await sessionRow())).toBe(JSON.stringify(aged));

        await mode('off');
        expect((await app.request(path, { headers: { cookie } })).status).toBe(200);
        const refreshed = await sessionRow();
        expect(new Date(refreshed.expires_at).getTime()).toBeGreaterThan(Date.now() + 6 * DAY_MS);
        expect(new Date(refreshed.updated_at).getTime()).toBeGreaterThan(new Date(aged.updated_at).getTime());
      },
    );
  },
);
