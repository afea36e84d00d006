// `node bin/run-ts.mjs scripts/walkthrough-screenshots.ts`: starts `polaris start` (PGlite and the
// Razorpay emulator) on an empty temporary folder, signs a user and an admin in, and saves a
// 1280 px screenshot of each page of the README walk-through into docs/screenshots/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { cookiesFrom } from '../test/support/accounts.ts';
import { contextWithCookie, launchBrowser } from '../test/support/browser.ts';
import { runCli, startServer } from '../test/support/cli.ts';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PASSWORD = 'walkthrough-password-0123';
type Who = 'visitor' | 'user' | 'admin';
// Each page as the person the walk-through shows it to.
const PAGES: { path: string; name: string; who: Who }[] = [
  { path: '/pricing', name: 'pricing', who: 'user' },
  { path: '/sign-up', name: 'sign-up', who: 'visitor' },
  { path: '/account', name: 'account', who: 'user' },
  { path: '/blueprints', name: 'blueprints', who: 'user' },
  { path: '/admin', name: 'admin', who: 'admin' },
  { path: '/admin/flags', name: 'admin-flags', who: 'admin' },
  { path: '/admin/webhooks', name: 'admin-webhooks', who: 'admin' },
  { path: '/status', name: 'status', who: 'visitor' },
];

/** POSTs JSON as a browser on `base` would, returning the session cookie it sets. */
async function post(base: string, path: string, body: unknown, cookie = '') {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return cookiesFrom(res);
}

/** Navigator monthly, paid through the emulator's checkout with a card that succeeds, then verified. */
async function subscribe(base: string, emulator: string, cookie: string) {
  const res = await fetch(`${base}/api/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, cookie },
    body: JSON.stringify({ tier: 'navigator', cycle: 'monthly' }),
  });
  if (!res.ok) throw new Error(`POST /api/subscriptions: ${res.status} ${await res.text()}`);
  const { checkout } = (await res.json()) as { checkout: { subscription_id: string } };
  const paid = await fetch(`${emulator}/_emulator/checkout/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subscription_id: checkout.subscription_id, instrument: 'card_success' }),
  });
  if (!paid.ok) throw new Error(`emulator checkout: ${paid.status} ${await paid.text()}`);
  await post(base, '/api/subscriptions/verify', await paid.json(), cookie);
}

async function shoot(browser: Browser, base: string, cookies: Record<Who, string>) {
  for (const { path, name, who } of PAGES) {
    const context = cookies[who]
      ? await contextWithCookie(browser, base, cookies[who], { viewport: DESKTOP })
      : await browser.newContext({ viewport: DESKTOP });
    try {
      const page = await context.newPage();
      const res = await page.goto(`${base}${path}`);
      if (res?.status() === 404) {
        console.log(`skipped ${path}: not built in this branch (404)`);
        continue;
      }
      const file = join(OUT, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`saved ${path} (${res?.status()}) as ${file}`);
    } finally {
      await context.close();
    }
  }
}

const dir = mkdtempSync(join(tmpdir(), 'polaris-walkthrough-'));
const port = await findFreePort();
// localhost, so PUBLIC_BASE_URL's default (http://localhost:<PORT>) is the pages' own origin.
const base = `http://localhost:${port}`;
const env = {
  POLARIS_ENV: 'development',
  POLARIS_DATA_DIR: join(dir, 'data'),
  POLARIS_DB_PORT: String(await findFreePort()),
  POLARIS_EMULATOR_PORT: String(await findFreePort()),
};
const server = await startServer(env, port, 180_000);
let browser: Browser | undefined;
try {
  mkdirSync(OUT, { recursive: true });
  const user = await post(base, '/api/auth/sign-up/email', {
    email: 'asha@example.com',
    password: PASSWORD,
    name: 'Asha',
  });
  await subscribe(base, `http://127.0.0.1:${env.POLARIS_EMULATOR_PORT}`, user);
  for (const title of ['Onboarding for the sales team', 'Python for analysts', 'Safety induction'])
    await post(base, '/api/blueprints', { title, content: 'Week 1: goals and exercises' }, user);
  const made = await runCli(
    ['users', 'create', '--email', 'ops@example.com', '--password', PASSWORD, '--admin'],
    {
      ...env,
      PORT: String(port),
    },
  );
  if (made.code !== 0) throw new Error(`polaris users create: ${made.stderr}`);
  const admin = await post(base, '/api/auth/sign-in/email', { email: 'ops@example.com', password: PASSWORD });
  browser = await launchBrowser();
  await shoot(browser, base, { visitor: '', user, admin });
} finally {
  await browser?.close();
  server.child.kill('SIGTERM');
  await server.exited;
  rmSync(dir, { recursive: true, force: true });
}
