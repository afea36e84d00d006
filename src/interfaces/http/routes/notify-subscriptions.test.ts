import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, createUnreachableContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { fullApp } from '../../../../test/support/full-app.ts';
import { notifyingContext, resetNotifications } from '../../../../test/support/notifications.ts';
import { mailText, startSmtpServer } from '../../../../test/support/notify-receivers.ts';
import { deliverNotifications } from '../../../services/notifications/deliver-notifications.ts';

type App = ReturnType<typeof fullApp>;
type ErrorBody = { error: { code: string; message: string } };
const form = (app: App, email: string) =>
  app.request('/status/subscribe', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email }).toString(),
  });
const json = (app: App, body: string) =>
  app.request('/status/subscribe', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describeEachBackend('status subscription routes', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let n: ReturnType<typeof notifyingContext>;
  let app: App;
  beforeAll(async () => {
    t = await createTestContext(get());
    smtp = await startSmtpServer();
    n = notifyingContext(t.ctx, { smtpUrl: smtp.url });
    app = fullApp(n.ctx);
  });
  afterAll(async () => {
    n?.close();
    await smtp?.close();
    await t?.close();
  });
  beforeEach(async () => {
    await resetNotifications(get().db);
    smtp.mails.length = 0;
  });
  const pathOf = (text: string, path: string) => {
    const match = new RegExp(`http://localhost:3000(${path}\\?token=[A-Za-z0-9_-]{43})`).exec(text);
    if (!match?.[1]) throw new Error(`no ${path} link`);
    return match[1];
  };

  it('subscribes from the form, confirms from the mailed link, and unsubscribes in one click', async () => {
    const subscribed = await form(app, 'Reader@Example.com');
    expect(subscribed.status).toBe(202);
    expect(await subscribed.text()).toContain('Check your inbox');
    await deliverNotifications({ ctx: n.ctx });
    const confirm = await app.request(pathOf(mailText(smtp.mails[0]!), '/status/confirm'));
    expect(confirm.status).toBe(200);
    expect(confirm.headers.get('content-type')).toContain('text/html');
    expect(await confirm.text()).toContain('reader@example.com will get an email for each update');

    const row = await get()
      .db.selectFrom('status_subscriptions')
      .select('unsubscribe_token')
      .executeTakeFirstOrThrow();
    const oneClick = await app.request(`/status/unsubscribe?token=${row.unsubscribe_token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('reader@example.com will get no more status updates.');
    const again = await app.request(`/status/unsubscribe?token=${row.unsubscribe_token}`);
    expect(again.status).toBe(200);
    const status = await get()
      .db.selectFrom('status_subscriptions')
      .select('status')
      .executeTakeFirstOrThrow();
    expect(status.status).toBe('unsubscribed');
  });

  it('answers the same to a JSON client, whether or not the address is subscribed', async () => {
    const first = await json(app, JSON.stringify({ email: 'api@example.com' }));
    const second = await json(app, JSON.stringify({ email: 'api@example.com' }));
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(await first.json()).toEqual(await second.json());
  });

  it('refuses bad input with a clear error and stores nothing', async () => {
    const badForm = await form(app, 'not-an-address');
    expect(badForm.status).toBe(400);
    expect(await badForm.text()).toContain('email: &#39;not-an-address&#39; is not an email address');
    for (const [body, message] of [
      ['{"email":"nope"}', "email: 'nope' is not an email address"],
      ['{"email":"a@example.com","list":"all"}', 'unknown field: list'],
      ['{"email":', 'the body is not valid JSON'],
      ['{}', 'email: Invalid input: expected string, received undefined'],
    ]) {
      const res = await json(app, body!);
      expect([res.status, ((await res.json()) as ErrorBody).error]).toEqual([
        400,
        { code: 'bad_request', message, requestId: expect.any(String) },
      ]);
    }
    for (const [path, status, message] of [
      ['/status/confirm', 400, 'token: required (open the link from the mail)'],
      ['/status/confirm?token=abc', 400, 'token: not a link Polaris sent'],
      [`/status/confirm?token=${'A'.repeat(43)}`, 404, 'this confirmation link is not valid'],
      [`/status/unsubscribe?token=${'A'.repeat(43)}`, 404, 'this unsubscribe link is not valid'],
    ] as const) {
      const res = await app.request(path);
      expect(res.status).toBe(status);
      expect(await res.text()).toContain(message);
    }
    expect((await app.request('/status/confirm', { method: 'DELETE' })).status).toBe(405);
    expect(await get().db.selectFrom('status_subscriptions').selectAll().execute()).toEqual([]);
    expect(await get().db.selectFrom('notifications').selectAll().execute()).toEqual([]);
  });
});

describe('status subscription routes over a database that cannot be reached', () => {
  it('answer 503 database_unavailable JSON with Retry-After', async () => {
    const dead = await createUnreachableContext();
    try {
      const app = fullApp(dead.ctx);
      const token = 'A'.repeat(43);
      for (const res of [
        await form(app, 'reader@example.com'),
        await json(app, '{"email":"reader@example.com"}'),
        await app.request(`/status/confirm?token=${token}`),
        await app.request(`/status/unsubscribe?token=${token}`),
        await app.request(`/status/unsubscribe?token=${token}`, { method: 'POST' }),
      ]) {
        expect(res.status).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await res.json()) as ErrorBody).error.code).toBe('database_unavailable');
      }
    } finally {
      await dead.close();
    }
  });
});
