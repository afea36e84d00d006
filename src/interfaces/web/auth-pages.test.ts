import { expect, it } from 'vitest';
import { cookiesFrom, TEST_AUTH } from '../../../test/support/accounts.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { resetFlags } from '../../../test/support/flags.ts';
import { appOverSuiteDatabase, PASSWORD, sessionStatus, signedUp } from '../../../test/support/security.ts';
import { setFlag } from '../../services/flags/set-flag.ts';
import { requirePasswordReset } from '../../services/security/require-password-reset.ts';
import { disableUser } from '../../services/users/disable-user.ts';

const HTML = 'text/html,application/xhtml+xml';

/** The text of the element with this id in a page (tags stripped), or null when absent. */
function textOf(html: string, id: string): string | null {
  const match = new RegExp(`<([a-z]+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return match
    ? match[2]!
        .replace(/<[^>]+>/g, '')
        .replace(/&#39;/g, "'")
        .trim()
    : null;
}

describeEachBackend('the sign-up, sign-in, sign-out and reset forms', { migrated: true }, (get) => {
  const h = appOverSuiteDatabase(get);
  const post = (
    path: string,
    fields: Record<string, string>,
    init: { cookie?: string; origin?: string | null } = {},
  ) => {
    const origin = init.origin === undefined ? TEST_AUTH.baseUrl : init.origin;
    return h.app.request(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: HTML,
        ...(origin ? { origin } : {}),
        ...(init.cookie ? { cookie: init.cookie } : {}),
      },
      body: new URLSearchParams(fields).toString(),
    });
  };
  const page = (path: string, cookie?: string) =>
    h.app.request(path, { headers: { accept: HTML, ...(cookie ? { cookie } : {}) } });
  const users = (email: string) =>
    get().db.selectFrom('auth_user').select('id').where('email', '=', email).execute();
  const sessions = () =>
    get()
      .db.selectFrom('auth_session')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));

  it('each page renders its form with labelled fields', async () => {
    for (const [path, form] of [
      ['/sign-up', 'sign-up-form'],
      ['/sign-in', 'sign-in-form'],
      ['/reset-password?token=abc', 'reset-password-form'],
    ] as const) {
      const res = await page(path);
      expect([path, res.status]).toEqual([path, 200]);
      const html = await res.text();
      expect(html).toContain(`<form id="${form}" method="post"`);
      expect(html).toMatch(/<label for="password">/);
    }
    expect(textOf(await (await page('/forgot-password')).text(), 'reset-how')).toContain('single-use link');
    expect(textOf(await (await page('/reset-password')).text(), 'no-token')).toContain('has no token');
  });

  it('sign-up creates the account, signs it in and goes to /account, or to a same-site next=', async () => {
    const res = await post('/sign-up', { name: 'Asha', email: 'form-up@example.com', password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account');
    const cookie = cookiesFrom(res);
    expect(await sessionStatus(h.app, cookie)).toBe(200);
    const next = await post('/sign-up', {
      name: 'Ravi',
      email: 'form-next@example.com',
      password: PASSWORD,
      next: '/pricing?plan=crew&cycle=yearly',
    });
    expect(next.headers.get('location')).toBe('/pricing?plan=crew&cycle=yearly');
  });

  it.each([
    ['https://evil.example/steal'],
    ['//evil.example/steal'],
    ['/\\evil.example'],
    ['javascript:alert(1)'],
  ])('a next= of %s is ignored: sign-in goes to /account', async (next) => {
    await signedUp(h.app, get().db, 'next-probe@example.com').catch(() => undefined);
    const res = await post('/sign-in', { email: 'next-probe@example.com', password: PASSWORD, next });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account');
    const form = await (await page(`/sign-in?next=${encodeURIComponent(next)}`)).text();
    expect(form).not.toContain('evil.example');
  });

  it('a short password, a bad email and a missing name are shown beside their fields; nothing is created', async () => {
    const res = await post('/sign-up', { name: '', email: 'not-an-email', password: 'short' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(textOf(html, 'password-error')).toBe('Use at least 10 characters.');
    expect(textOf(html, 'email-error')).toBe('Enter an email address like you@example.com.');
    expect(textOf(html, 'name-error')).toBe('Enter your name.');
    expect(html).toMatch(/id="password"[^>]*aria-describedby="password-error password-hint"/);
    expect(html).toContain('value="not-an-email"');
    expect(html).not.toContain('value="short"');
    expect(await users('not-an-email')).toEqual([]);
  });

  it('a duplicate email says so beside the email field (409) and keeps the one account', async () => {
    await signedUp(h.app, get().db, 'taken@example.com');
    const res = await post('/sign-up', { name: 'Again', email: 'taken@example.com', password: PASSWORD });
    expect(res.status).toBe(409);
    expect(textOf(await res.text(), 'email-error')).toBe(
      'An account with this email already exists. Sign in instead.',
    );
    expect(await users('taken@example.com')).toHaveLength(1);
  });

  it('a wrong password and an unknown email read the same beside the password (401), and open no session', async () => {
    await signedUp(h.app, get().db, 'wrong-pw@example.com');
    const before = await sessions();
    for (const [email, password] of [
      ['wrong-pw@example.com', 'not-the-password'],
      ['nobody-here@example.com', PASSWORD],
    ] as const) {
      const res = await post('/sign-in', { email, password });
      expect(res.status).toBe(401);
      expect(res.headers.getSetCookie()).toEqual([]);
      const html = await res.text();
      expect(textOf(html, 'password-error')).toBe('The email or the password is wrong.');
      expect(html).toContain(`value="${email}"`);
    }
    const empty = await post('/sign-in', { email: 'wrong-pw@example.com', password: '' });
    expect(empty.status).toBe(400);
    expect(textOf(await empty.text(), 'password-error')).toBe('Enter your password.');
    expect(await sessions()).toBe(before);
  });

  it('a disabled account is told plainly (403) and gets no session', async () => {
    await signedUp(h.app, get().db, 'disabled-form@example.com');
    await disableUser({
      ctx: h.t.ctx,
      input: { user: 'disabled-form@example.com', reason: 'abuse report', actor: 'test', confirmed: true },
    });
    const res = await post('/sign-in', { email: 'disabled-form@example.com', password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(textOf(await res.text(), 'form-error')).toContain(
      'This account is disabled, so it cannot sign in.',
    );
  });

  it('a required reset is told plainly (403); the link sets a new password once, then sign-in works', async () => {
    const email = 'reset-form@example.com';
    await signedUp(h.app, get().db, email);
    const done = await requirePasswordReset({
      ctx: h.t.ctx,
      input: { user: email, reason: 'password in a paste', actor: 'test', confirmed: true },
    });
    const token = new URL(done.links[0]!.link).searchParams.get('token')!;
    const refused = await post('/sign-in', { email, password: PASSWORD });
    expect(refused.status).toBe(403);
    const html = await refused.text();
    expect(textOf(html, 'form-error')).toContain(
      'This account must set a new password before it can sign in.',
    );
    expect(html).toContain('href="/forgot-password"');

    const differ = await post('/reset-password', {
      token,
      password: 'a-brand-new-password',
      confirm: 'another-one-here',
    });
    expect(differ.status).toBe(400);
    expect(textOf(await differ.text(), 'confirm-error')).toBe(
      'The two passwords differ: type the same one twice.',
    );
    const short = await post('/reset-password', { token, password: 'short', confirm: 'short' });
    expect(textOf(await short.text(), 'password-error')).toBe('Use at least 10 characters.');

    const set = await post('/reset-password', {
      token,
      password: 'a-brand-new-password',
      confirm: 'a-brand-new-password',
    });
    expect(set.status).toBe(303);
    expect(set.headers.get('location')).toBe('/sign-in?done=password-set');
    expect(textOf(await (await page('/sign-in?done=password-set')).text(), 'notice')).toBe(
      'Your new password is set. Sign in with it.',
    );
    const again = await post('/reset-password', {
      token,
      password: 'yet-another-password',
      confirm: 'yet-another-password',
    });
    expect(again.status).toBe(400);
    expect(textOf(await again.text(), 'form-error')).toContain('This reset link does not work');
    const signIn = await post('/sign-in', { email, password: 'a-brand-new-password' });
    expect(signIn.status).toBe(303);
  });

  it('an unknown or expired reset token is refused (400) and changes no password', async () => {
    const email = 'expired-link@example.com';
    await signedUp(h.app, get().db, email);
    const unknown = await post('/reset-password', {
      token: 'x'.repeat(24),
      password: 'a-brand-new-password',
      confirm: 'a-brand-new-password',
    });
    expect(unknown.status).toBe(400);
    expect(textOf(await unknown.text(), 'form-error')).toContain('This reset link does not work');
    const done = await requirePasswordReset({
      ctx: h.t.ctx,
      input: { user: email, reason: 'expiry check', actor: 'test', confirmed: true },
    });
    const token = new URL(done.links[0]!.link).searchParams.get('token')!;
    await get()
      .db.updateTable('auth_verification')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('identifier', '=', `reset-password:${token}`)
      .execute();
    const expired = await post('/reset-password', {
      token,
      password: 'a-brand-new-password',
      confirm: 'a-brand-new-password',
    });
    expect(expired.status).toBe(400);
    expect(textOf(await expired.text(), 'form-error')).toContain('has expired');
    // The new password was never set: it is wrong, and the old one still needs the reset.
    expect((await post('/sign-in', { email, password: 'a-brand-new-password' })).status).toBe(401);
    expect((await post('/sign-in', { email, password: PASSWORD })).status).toBe(403);
  });

  it('sign-out ends the session and says so; a form from another site is refused (403) and changes nothing', async () => {
    const { cookie } = await signedUp(h.app, get().db, 'sign-out-form@example.com');
    const before = await sessions();
    const foreignIn = await post(
      '/sign-in',
      { email: 'sign-out-form@example.com', password: PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(foreignIn.status).toBe(403);
    expect(foreignIn.headers.getSetCookie()).toEqual([]);
    const noOrigin = await post(
      '/sign-up',
      { name: 'X', email: 'no-origin@example.com', password: PASSWORD },
      { origin: null },
    );
    expect(noOrigin.status).toBe(403);
    expect(await users('no-origin@example.com')).toEqual([]);
    const foreignOut = await post('/sign-out', {}, { cookie, origin: 'https://evil.example' });
    expect(foreignOut.status).toBe(403);
    expect(await sessionStatus(h.app, cookie)).toBe(200);
    expect(await sessions()).toBe(before);

    const out = await post('/sign-out', {}, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/sign-in?done=signed-out');
    expect(out.headers.getSetCookie().join('\n')).toMatch(/Max-Age=0/i);
    expect(await sessionStatus(h.app, cookie)).toBe(401);
    expect(textOf(await (await page('/sign-in?done=signed-out')).text(), 'notice')).toBe(
      'You are signed out.',
    );
    const twice = await post('/sign-out', {}, { cookie });
    expect(twice.headers.get('location')).toBe('/sign-in?done=signed-out');
  });

  it('maintenance: sign-up is shown disabled and its post answers 503; sign-in keeps working', async () => {
    await signedUp(h.app, get().db, 'maint-form@example.com');
    await setFlag({
      ctx: h.t.ctx,
      input: { name: 'maintenance', state: 'on', reason: 'test', message: 'Upgrading', actor: 'test' },
    });
    try {
      const form = await (await page('/sign-up')).text();
      expect(form).toMatch(/<fieldset disabled/);
      expect(textOf(form, 'form-refused')).toContain('Upgrading');
      const refused = await post('/sign-up', {
        name: 'M',
        email: 'maint-new@example.com',
        password: PASSWORD,
      });
      expect(refused.status).toBe(503);
      expect(await refused.text()).toContain('Upgrading');
      expect(await users('maint-new@example.com')).toEqual([]);
      expect(await (await page('/sign-in')).text()).not.toMatch(/<fieldset disabled/);
      const signIn = await post('/sign-in', { email: 'maint-form@example.com', password: PASSWORD });
      expect(signIn.status).toBe(303);
    } finally {
      await resetFlags(get().db);
    }
  });
});
