import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp } from '../../../test/support/accounts.ts';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetFlags } from '../../../test/support/flags.ts';
import { getPage, postForm } from '../../../test/support/forms.ts';
import { fullApp } from '../../../test/support/full-app.ts';
import { createUser } from '../../../test/support/seed.ts';
import {
  createNavigatorPlan,
  parkDeliveriesAsFailed,
  subscribeAndPay,
} from '../../../test/webhook-fixtures.ts';
import { processInbox } from '../../services/webhooks/process-inbox.ts';

type App = ReturnType<typeof fullApp>;
const BAD_EVENT = 'AdminBadEvent001';

describeEachBackend('admin console: /admin/webhooks', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let app: App;
  let admin = '';
  let user = '';
  const events = () =>
    get()
      .db.selectFrom('razorpay_webhook_events')
      .select(['event_id', 'processing_status', 'attempts'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  const retryAudits = () =>
    get()
      .db.selectFrom('audit_log')
      .select(['actor', 'target', 'reason', 'details'])
      .where('action', '=', 'webhook.retry')
      .orderBy('id')
      .execute();
  const retry = (fields: Record<string, string | string[]>, cookie = admin) =>
    postForm(app, '/admin/webhooks/retry', fields, { cookie });
  const unchanged = async (run: () => Promise<void>) => {
    const before = { events: await events(), audits: await retryAudits() };
    await run();
    expect({ events: await events(), audits: await retryAudits() }).toEqual(before);
  };

  beforeAll(async () => {
    t = await createTestContext(get());
    app = fullApp(t.ctx);
    await resetFlags(get().db);
    user = (await signUp(app, 'hooks-user@example.com')).cookie;
    admin = (await signUp(app, 'hooks-admin@example.com')).cookie;
    await get()
      .db.updateTable('user_profiles')
      .set({ role: 'admin' })
      .where('email', '=', 'hooks-admin@example.com')
      .execute();
    // A paid subscription's real deliveries, received while Razorpay's API is down: parked as failed.
    const userId = await createUser(get().db, `hooks-payer-${get().backend}@example.com`);
    await subscribeAndPay(t, userId, await createNavigatorPlan(t.ctx));
    await parkDeliveriesAsFailed(t);
    await t.ctx.repos.inbox.insertEvent({
      event_id: BAD_EVENT,
      event_type: 'payment.captured',
      payload:
        '{"entity":"event","account_id":"acc_x","event":"payment.captured","contains":["payment"],"payload":{"payment":{"entity":{"id":"nope"}}},"created_at":1}',
    });
    await processInbox({ ctx: t.ctx });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists events filtered by status, type and window, and shows one with its raw payload', async () => {
    const failed = (await events()).filter((e) => e.processing_status === 'failed');
    expect(failed.length).toBeGreaterThan(1);
    const page = await getPage(app, '/admin/webhooks?status=failed&type=payment&since=24h', {
      cookie: admin,
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`value="${BAD_EVENT}"`);
    expect(html).toContain('id="retry-selected"');
    expect(html).not.toContain('subscription.activated');
    const all = await (await getPage(app, '/admin/webhooks?status=failed', { cookie: admin })).text();
    for (const e of failed) expect(all).toContain(`name="ids" value="${e.event_id}"`);
    const one = await getPage(app, `/admin/webhooks/${BAD_EVENT}`, { cookie: admin });
    expect(one.status).toBe(200);
    const detail = await one.text();
    expect(detail).toContain('bad_request');
    expect(detail).toContain('&quot;id&quot;:&quot;nope&quot;');
  });

  it.each([
    ['/admin/webhooks?status=lost', 400, '--status &quot;lost&quot;'],
    ['/admin/webhooks?type=DROP%20TABLE', 400, '--type'],
    ['/admin/webhooks?since=yesterday', 400, '--since'],
    ['/admin/webhooks/not%20an%20id', 400, 'is not a webhook event id'],
    ['/admin/webhooks/EvtNotStored0001', 404, 'no webhook event EvtNotStored0001 is stored'],
  ] as const)('answers %s with %i naming the problem', async (path, status, message) => {
    const res = await getPage(app, path, { cookie: admin });
    expect(res.status).toBe(status);
    expect(await res.text()).toContain(message);
  });

  it('refuses a retry of nothing, of an unknown id or by a non-admin, changing nothing', async () => {
    const [first] = (await events()).filter((e) => e.processing_status === 'failed');
    await unchanged(async () => {
      const none = await retry({ reason: 'x' });
      expect([none.status, await none.text()]).toEqual([
        400,
        expect.stringContaining('ids: select at least one'),
      ]);
      const unknown = await retry({ ids: [first?.event_id ?? '', 'EvtNotStored0001'] });
      expect([unknown.status, await unknown.text()]).toEqual([
        404,
        expect.stringContaining('no webhook event EvtNotStored0001 is stored; nothing was retried'),
      ]);
      const bad = await retry({ ids: 'x y' });
      expect(bad.status).toBe(400);
      const byUser = await retry({ ids: first?.event_id ?? '' }, user);
      expect(byUser.status).toBe(403);
    });
  });

  it('retries the selected events oldest first through the processor, with the CLI audit row', async () => {
    const failed = (await events()).filter(
      (e) => e.processing_status === 'failed' && e.event_id !== BAD_EVENT,
    );
    const ids = failed.map((e) => e.event_id);
    const res = await retry({ ids: [...ids].reverse(), reason: 'Razorpay API back' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/webhooks?done=retried');
    const after = await events();
    expect(
      after.filter((e) => ids.includes(e.event_id)).every((e) => e.processing_status === 'processed'),
    ).toBe(true);
    expect(await retryAudits()).toEqual([
      {
        actor: 'hooks-admin@example.com',
        target: ids.length === 1 ? ids[0] : `${ids.length} webhook events`,
        reason: 'Razorpay API back',
        details: { eventIds: ids },
      },
    ]);
    const page = await (await getPage(app, '/admin/webhooks?done=retried', { cookie: admin })).text();
    expect(page).toContain('Retried the selected events oldest first; each is processed.');
    // One that fails again is said so, and stays failed.
    const again = await retry({ ids: BAD_EVENT });
    expect(again.headers.get('location')).toBe('/admin/webhooks?done=retried-not-all');
    expect((await events()).find((e) => e.event_id === BAD_EVENT)).toMatchObject({
      processing_status: 'failed',
      attempts: 2,
    });
  });
});
