import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
import type { ServiceContext } from '../../src/services/context.ts';
import { createUser } from '../../src/services/users/create-user.ts';
import { cookiesFrom, postJson, signUp } from './accounts.ts';

// Debian's chromium (`apt-get install -y chromium`, done by .ci/run); browser suites fail without it.
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Where a suite keeps its screenshots (test-artifacts/<suite>/, ignored by git); created on first use. */
export function artifactsDir(suite: string): string {
  const dir = join(import.meta.dirname, '..', '..', 'test-artifacts', suite);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Debian's chromium, headless; throws with the apt command when it is missing. */
export async function launchBrowser(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('chromium not found: apt-get install -y chromium');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

type Requester = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** A browser context carrying `cookie` (a Cookie header value) for `baseUrl`'s host. */
export async function contextWithCookie(
  browser: Browser,
  baseUrl: string,
  cookie: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const host = new URL(baseUrl).hostname;
  await context.addCookies(
    cookie.split('; ').map((pair) => {
      const [name, ...value] = pair.split('=');
      return { name: name!, value: value.join('='), domain: host, path: '/' };
    }),
  );
  return context;
}

/** Signs a new user up through the API and returns a browser context signed in as them. */
export async function signedInUser(
  browser: Browser,
  served: { app: Requester; url: string },
  email: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<BrowserContext> {
  const { cookie } = await signUp(served.app, email);
  if (!cookie) throw new Error(`sign-up of ${email} set no session cookie`);
  return contextWithCookie(browser, served.url, cookie, options);
}

/** Creates an admin (through the createUser service) and returns a browser context signed in as them. */
export async function signedInAdmin(
  ctx: ServiceContext,
  browser: Browser,
  served: { app: Requester; url: string },
  email = 'admin@example.com',
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<BrowserContext> {
  const password = 'admin-password-0123456789';
  await createUser({ ctx, input: { email, name: 'Admin', role: 'admin', password, actor: 'test' } });
  const res = await postJson(served.app, '/api/auth/sign-in/email', { email, password });
  if (!res.ok) throw new Error(`admin sign-in failed: ${res.status} ${await res.text()}`);
  return contextWithCookie(browser, served.url, cookiesFrom(res), options);
}

/** One axe-core violation, as a person reads it. */
type Violation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

/**
 * Runs axe-core's rules in the page and throws, listing each one, when any violation is serious or
 * critical (minor and moderate ones are returned for the suite to report).
 */
export async function expectAccessible(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  // A string, not a function: the test build has no DOM types, and axe is the page's global.
  const violations = await page.evaluate<unknown[]>('axe.run(document).then((r) => r.violations)');
  const list = violations as Violation[];
  const blocking = list.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length > 0) {
    const lines = blocking.map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => JSON.stringify(n.target))
          .join(', ')}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''}`,
    );
    throw new Error(
      `${page.url()} has ${blocking.length} serious accessibility violation(s):\n${lines.join('\n')}`,
    );
  }
  return list;
}

/** Throws when the page scrolls sideways at its current viewport (a 360 px phone must not). */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate<{ scroll: number; client: number }>(
    '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
  );
  if (scroll > client)
    throw new Error(`${page.url()} scrolls sideways: ${scroll} px of content in ${client} px`);
}

/** Saves a full-page screenshot as `<dir>/<name>.png`. */
export async function screenshot(page: Page, dir: string, name: string): Promise<void> {
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Call inside a test: when the test fails, the page is saved as `<dir>/FAILED-<name>.png`. */
export function screenshotOnFailure(page: () => Page | undefined, dir: string, name: string): void {
  onTestFailed(async () => {
    const current = page();
    if (current && !current.isClosed())
      await screenshot(current, dir, `FAILED-${name}`).catch(() => undefined);
  });
}
