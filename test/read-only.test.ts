import { afterAll, beforeAll, expect, it } from 'vitest';
import { setFlag } from '../src/services/flags/set-flag.ts';
import { openIncident } from '../src/services/incidents/open-incident.ts';
import { scheduleMaintenance } from '../src/services/maintenance/schedule-maintenance.ts';
import { syncPlans } from '../src/services/plans/sync-plans.ts';
import { processInbox } from '../src/services/webhooks/process-inbox.ts';
import { postJson, signUp, TEST_AUTH } from './support/accounts.ts';
import { postForm as postAdminForm } from './support/admin-forms.ts';
import { createTestContext, TEST_KEYS } from './support/context.ts';
import { describeEachBackend } from './support/databases.ts';
import { resetFlags } from './support/flags.ts';
import { postForm } from './support/forms.ts';
import { serveFullApp } from './support/full-app.ts';
import { waitFor } from './support/wait.ts';
import {
  adminConsoleWriteCalls,
  adminRecordsFormCalls,
  type CallerRows,
  incidentWriteCalls,
  maintenanceWriteCalls,
  userDataChecksums,
  type WriteCall,
  writeCallsFor,
  writeRoutesOf,
} from './support/write-routes.ts';
import { signed } from './webhook-fixtures.ts';

const PASSWORD = 'correct-horse-battery';
const DAY = 86_400;
const WEBHOOK = 'POST /api/webhooks/razorpay';
// Routes read-only lets through: Razorpay's deliveries are stored, and the cron tick only drives
// inbox processing, which holds itself (both are checked below to change no user data).
const CRON_TICK = 'POST /api/cron/tick';
// Flags stay writable for admins in read-only (that is how it is lifted), and so do incidents
// (an on-call engineer runs one during the shutdown); checked below.
const ADMIN_FLAGS = 'PUT /api/admin/flags/:name';
const INCIDENT_WRITES = Object.keys(incidentWriteCalls('1'));
const MAINTENANCE_WRITES = Object.keys(maintenanceWriteCalls('1', new Date()));
// The admin console's flag and retry forms, like the flags API (checked below).
const CONSOLE_WRITES = Object.keys(adminConsoleWriteCalls());
// The admin console's incident, user and database forms run like their CLI commands; checked below
// (the incident forms and verify) and in src/interfaces/web/admin-users-routes.test.ts (users).
const ADMIN_FORMS = Object.keys(adminRecordsFormCalls('1', 'u', 'e'));
const LET_THROUGH = [
  WEBHOOK,
  CRON_TICK,
  ADMIN_FLAGS,
  ...INCIDENT_WRITES,
  ...MAINTENANCE_WRITES,
  ...CONSOLE_WRITES,
  ...ADMIN_FORMS,
];
type Who = 'owner' | 'admin' | 'token';

describeEachBackend(
  'read-only mode: no user data changes, webhooks held then applied',
  { migrated: true },
  (get) => {
    let t: Awaited<ReturnType<typeof createTestContext>>;
    let served: Awaited<ReturnType<typeof serveFullApp>>;
    const rows: Record<Who, CallerRows> = {
      owner: { email: 'ro-owner@example.com', password: PASSWORD, blueprintId: '' },
      admin: { email: 'ro-admin@example.com', password: PASSWORD, blueprintId: '' },
      token: { email: 'ro-owner@example.com', password: PASSWORD, blueprintId: '' },
    };
    const cookies: Record<Who, string> = { owner: '', admin: '', token: '' };

    const send = (who: Who, call: Pick<WriteCall, 'method' | 'path'> & { body?: unknown }) =>
      served.app.request(call.path, {
        method: call.method,
        headers: {
          'content-type': 'application/json',
          origin: TEST_AUTH.baseUrl,
          ...(who === 'token'
            ? { authorization: `Bearer ${TEST_AUTH.adminToken}` }
            : { cookie: cookies[who] }),
        },
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      });
    const mode = (name: string, state: 'on' | 'off') =>
      setFlag({ ctx: t.ctx, input: { name, state, reason: 'read-only test', actor: 'test' } });
    const inbox = () =>
      get()
        .db.selectFrom('razorpay_webhook_events')
        .select(['id', 'event_type', 'processing_status'])
        .orderBy('id');

    beforeAll(async () => {
      t = await createTestContext(get());
      expect((await syncPlans({ ctx: t.ctx })).ok).toBe(true);
      served = await serveFullApp(t.ctx);
      t.emulator.addWebhook({ url: `${served.url}/api/webhooks/razorpay`, secret: TEST_KEYS.webhookSecret });
      await resetFlags(get().db);
      for (const who of ['owner', 'admin'] as const) {
        const { res, cookie } = await signUp(served.app, rows[who].email, PASSWORD);
        expect(res.status).toBe(200);
        cookies[who] = cookie;
      }
      await get()
        .db.updateTable('user_profiles')
        .set({ role: 'admin' })
        .where('email', '=', rows.admin.email)
        .execute();
      for (const who of ['owner', 'admin'] as const) {
        const created = await send(who, {
          method: 'POST',
          path: '/api/blueprints',
          body: { title: 'mine', content: {} },
        });
        expect(created.status).toBe(201);
        rows[who].blueprintId = ((await created.json()) as { id: string }).id;
      }
      rows.token.blueprintId = rows.owner.blueprintId;
      // An unpaid subscription, so that cancel and checkout would change rows if they ran.
      const checkout = await send('owner', {
        method: 'POST',
        path: '/api/subscriptions',
        body: { tier: 'navigator', cycle: 'monthly' },
      });
      expect(checkout.status).toBe(201);
    });
    afterAll(async () => {
      await served?.close();
      await t?.close();
    });

    it('every write route answers 503 read_only to the owner, an admin and ADMIN_TOKEN; no user-data table changes', async () => {
      const routes = writeRoutesOf(served.app);
      expect(routes).toEqual(expect.arrayContaining(LET_THROUGH));
      // A route this list does not know fails here: give it a request in test/support/write-routes.ts.
      expect(Object.keys(writeCallsFor(rows.owner)).sort()).toEqual(
        routes.filter((r) => !LET_THROUGH.includes(r)),
      );

      await mode('read_only', 'on');
      const before = await userDataChecksums(get().db);
      expect(Object.keys(before)).toEqual(
        expect.arrayContaining([
          'auth_user',
          'auth_session',
          'user_profiles',
          'blueprints',
          'subscriptions',
          'payments',
        ]),
      );
      let refused = 0;
      for (const who of ['owner', 'admin', 'token'] as const) {
        for (const call of Object.values(writeCallsFor(rows[who])).flat()) {
          const res = await send(who, call);
          const body = (await res.json()) as { error?: { code: string; message: string } };
          expect([who, call.path, res.status, body.error?.code]).toEqual([who, call.path, 503, 'read_only']);
          expect(res.headers.get('retry-after')).toBe('60');
          expect(body.error?.message).toMatch(/read-only/);
          refused += 1;
        }
      }
      expect(refused).toBeGreaterThanOrEqual(3 * 15);
      // Reads keep working.
      expect(
        (await served.app.request('/api/blueprints', { headers: { cookie: cookies.owner } })).status,
      ).toBe(200);
      // Razorpay's delivery is stored, and stays pending while processing is held.
      const delivery = signed(
        {
          id: 'EvtReadOnly00001',
          body: JSON.stringify({
            entity: 'event',
            account_id: 'acc_Polaris000001',
            event: 'payment.captured',
            contains: ['payment'],
            payload: { payment: { entity: { id: 'pay_ReadOnly000002' } } },
            created_at: 1_780_000_000,
          }),
        },
        TEST_KEYS.webhookSecret,
      );
      const stored = await served.app.request('/api/webhooks/razorpay', {
        method: 'POST',
        body: delivery.body,
        headers: delivery.headers,
      });
      expect(stored.status).toBe(200);
      expect(await processInbox({ ctx: t.ctx })).toMatchObject({ claimed: 0, held: true });
      const tick = await served.app.request('/api/cron/tick', {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_AUTH.adminToken}` },
      });
      expect(tick.status).toBe(200);
      // Admins still change flags (system_flags and audit_log are not user data); owners cannot.
      const flagWrite = { method: 'PUT', path: '/api/admin/flags/maintenance' };
      const maintenance = { state: 'on', reason: 'read-only test', message: 'drill' };
      expect((await send('owner', { ...flagWrite, body: maintenance })).status).toBe(403);
      for (const who of ['admin', 'token'] as const) {
        expect((await send(who, { ...flagWrite, body: maintenance })).status).toBe(200);
        expect(
          (await send(who, { ...flagWrite, body: { state: 'off', reason: 'read-only test' } })).status,
        ).toBe(200);
      }
      // Admins run an incident through every incident route; owners are refused by the routes.
      for (const who of ['owner', 'admin', 'token'] as const) {
        const incident = await openIncident({
          ctx: t.ctx,
          input: { severity: 'high', type: 'security', title: `read-only ${who}`, actor: 'test' },
        });
        for (const call of Object.values(incidentWriteCalls(incident.id)).flat()) {
          const res = await send(who, call);
          const created = call.path === '/api/admin/incidents' || call.path.endsWith('/notes');
          const expected = who === 'owner' ? 403 : created ? 201 : 200;
          expect([who, call.path, res.status]).toEqual([who, call.path, expected]);
        }
      }
      // So do maintenance windows: schedule one (a fresh hour for each caller), cancel another.
      for (const [n, who] of (['owner', 'admin', 'token'] as const).entries()) {
        const day = 86_400_000;
        const start = new Date(t.ctx.now().getTime() + (n + 1) * day);
        const other = await scheduleMaintenance({
          ctx: t.ctx,
          input: {
            start: new Date(start.getTime() + day / 2).toISOString(),
            end: new Date(start.getTime() + day / 2 + 60_000).toISOString(),
            message: 'x',
            actor: 'test',
          },
        });
        for (const call of Object.values(maintenanceWriteCalls(other.id, start)).flat()) {
          const res = await send(who, call);
          const expected = who === 'owner' ? 403 : call.path === '/api/admin/maintenance' ? 201 : 200;
          expect([who, call.path, res.status]).toEqual([who, call.path, expected]);
        }
      }
      // The console's forms pass the door for admins (a retry then refuses itself: processing is held).
      const consoleForm = (who: 'owner' | 'admin', name: string) => {
        const call = adminConsoleWriteCalls()[name]![0]!;
        return postForm(served.app, call.path, call.body as Record<string, string>, { cookie: cookies[who] });
      };
      const flagForm = 'POST /admin/flags/:name';
      expect((await consoleForm('owner', flagForm)).status).toBe(403);
      expect((await consoleForm('admin', flagForm)).status).toBe(303);
      await mode('maintenance', 'off');
      const retry = await consoleForm('admin', 'POST /admin/webhooks/retry');
      expect([retry.status, await retry.text()]).toEqual([
        503,
        expect.stringContaining('holds webhook processing'),
      ]);
      // And the admin console's incident forms and verify (its user forms change user data on purpose).
      for (const who of ['owner', 'admin', 'token'] as const) {
        const incident = await openIncident({
          ctx: t.ctx,
          input: { severity: 'high', type: 'security', title: `read-only form ${who}`, actor: 'test' },
        });
        const calls = adminRecordsFormCalls(incident.id, 'u', 'e');
        for (const key of [
          ...Object.keys(calls).filter((k) => k.includes('incidents')),
          'POST /admin/db/verify',
        ]) {
          const call = calls[key]![0]!;
          const headers: Record<string, string> =
            who === 'token' ? { authorization: `Bearer ${TEST_AUTH.adminToken}` } : { cookie: cookies[who] };
          const res = await postAdminForm(
            served.app,
            call.path,
            call.body as Record<string, string>,
            headers,
          );
          const expected = who === 'owner' ? 403 : key.endsWith('verify') ? 200 : 303;
          expect([who, call.path, res.status]).toEqual([who, call.path, expected]);
        }
      }
      expect(await userDataChecksums(get().db)).toEqual(before);
      expect(await inbox().where('event_type', '=', 'payment.captured').execute()).toEqual([
        expect.objectContaining({ processing_status: 'pending' }),
      ]);

      await mode('read_only', 'off');
      await get().db.deleteFrom('razorpay_webhook_events').execute();
      // The checksums do see a change once writes are allowed again.
      expect((await send('owner', writeCallsFor(rows.owner)['POST /api/blueprints']![0]!)).status).toBe(201);
      expect(await userDataChecksums(get().db)).not.toEqual(before);
    });

    it('webhooks that arrive in read-only stay pending, then are applied in order once it is lifted', async () => {
      const email = 'ro-payer@example.com';
      const signedUp = await signUp(served.app, email, PASSWORD);
      const cookie = signedUp.cookie;
      const post = (path: string, body: unknown) => postJson(served.app, path, body, cookie);
      const checkout = (await (
        await post('/api/subscriptions', { tier: 'navigator', cycle: 'monthly' })
      ).json()) as {
        checkout: { subscription_id: string };
      };
      const rzpId = checkout.checkout.subscription_id;
      const paid = await fetch(`${t.emulatorUrl}/_emulator/checkout/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subscription_id: rzpId, instrument: 'card_success' }),
      });
      expect((await post('/api/subscriptions/verify', await paid.json())).status).toBe(200);
      await settle();
      const subscription = () =>
        get()
          .db.selectFrom('subscriptions')
          .select('status')
          .where('razorpay_subscription_id', '=', rzpId)
          .executeTakeFirstOrThrow();
      const payer = await get()
        .db.selectFrom('user_profiles')
        .select('user_id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      const captured = async () =>
        (
          await get()
            .db.selectFrom('payments')
            .select('payment_id')
            .where('status', '=', 'captured')
            .where('user_id', '=', payer.user_id)
            .execute()
        ).length;
      expect(await subscription()).toEqual({ status: 'active' });
      expect(await captured()).toBe(1);
      const seen = (await inbox().execute()).length;

      await mode('read_only', 'on');
      t.emulator.advanceClock(31 * DAY);
      expect((await t.ctx.gateway.cancelSubscription(rzpId)).ok).toBe(true);
      await deliveriesDone();
      const held = (await inbox().execute()).slice(seen);
      expect(held.map((e) => e.event_type)).toEqual(
        expect.arrayContaining(['subscription.charged', 'subscription.cancelled']),
      );
      expect(await processInbox({ ctx: t.ctx })).toMatchObject({ claimed: 0, held: true });
      expect(held.every((e) => e.processing_status === 'pending' || e.processing_status === 'skipped')).toBe(
        true,
      );
      expect(await subscription()).toEqual({ status: 'active' });
      expect(await captured()).toBe(1);

      await mode('read_only', 'off');
      // One event per pass: each pass takes the oldest waiting event, so the order is visible.
      const order: string[] = [];
      for (let pass = 0; pass < 50; pass++) {
        const waiting = new Set(
          (await inbox().where('processing_status', '=', 'pending').execute()).map((e) => e.id),
        );
        const result = await processInbox({ ctx: t.ctx, input: { limit: 1, backoffMs: 0 } });
        if (result.claimed === 0) break;
        expect(result).toMatchObject({ processed: 1 });
        const done = (await inbox().where('processing_status', '=', 'processed').execute()).filter((e) =>
          waiting.has(e.id),
        );
        order.push(...done.map((e) => String(e.id)));
      }
      const pendingIds = held.filter((e) => e.processing_status === 'pending').map((e) => String(e.id));
      expect(order).toEqual(pendingIds);
      expect(order.length).toBeGreaterThanOrEqual(2);
      expect(await subscription()).toEqual({ status: 'cancelled' });
      expect(await captured()).toBe(2);
    });

    async function deliveriesDone() {
      await waitFor(
        () => !t.emulator.deliveries().some((d) => d.status === 'pending'),
        30_000,
        'webhook deliveries',
      );
    }
    async function settle() {
      await deliveriesDone();
      for (let i = 0; i < 50; i++) {
        if ((await processInbox({ ctx: t.ctx, input: { backoffMs: 0 } })).claimed === 0) break;
      }
    }
  },
);
