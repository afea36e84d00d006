import type { Child } from 'hono/jsx';
import type { FlagsView } from '../../domain/flags.ts';
import type { Caller } from '../http/env.ts';
import { ModeBanner } from './mode-banner.tsx';
import { SITE_CSS } from './styles.ts';

/** Which top-level section a page belongs to (marked in the navigation). */
export type Section = 'pricing' | 'blueprints' | 'account' | 'admin' | 'status' | 'auth' | 'none';

/** What every page gets: its title, the caller (null for a visitor) and the flags when known. */
export type PageProps = {
  title: string;
  section: Section;
  caller: Caller | null;
  /** The kill switches; null when the database could not say (an error page). */
  flags: FlagsView | null;
  /** /pricing also shows the payments banner. */
  withPayments?: boolean;
  /** A one-line confirmation or error shown above the content (role=status / alert). */
  notice?: { kind: 'ok' | 'error' | 'warning'; text: string } | null | undefined;
  /** Extra elements for <head>: a page's script or its no-referrer meta. */
  head?: Child;
  children?: Child;
};

function NavLink(props: { href: string; current: boolean; children: Child }) {
  return (
    <li>
      <a href={props.href} aria-current={props.current ? 'page' : undefined}>
        {props.children}
      </a>
    </li>
  );
}

/** The shell of every server-rendered page: header navigation, mode banner, main, footer with /status. */
export function Page(props: PageProps) {
  const { caller, section } = props;
  const person = caller && caller.email !== 'admin-token' ? caller : null;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · SmartSlate Polaris`}</title>
        <style dangerouslySetInnerHTML={{ __html: SITE_CSS }} />
        {props.head}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <div class="inner">
            <a class="brand" href="/pricing">
              SmartSlate Polaris
            </a>
            <nav class="site-nav" aria-label="Main">
              <ul>
                <NavLink href="/pricing" current={section === 'pricing'}>
                  Pricing
                </NavLink>
                {person ? (
                  <>
                    <NavLink href="/blueprints" current={section === 'blueprints'}>
                      Blueprints
                    </NavLink>
                    <NavLink href="/account" current={section === 'account'}>
                      Account
                    </NavLink>
                  </>
                ) : null}
                {caller?.role === 'admin' ? (
                  <NavLink href="/admin" current={section === 'admin'}>
                    Admin
                  </NavLink>
                ) : null}
                {person ? (
                  <li>
                    <form method="post" action="/sign-out" class="inline-form">
                      <button type="submit" class="secondary" id="sign-out">
                        Sign out
                      </button>
                    </form>
                  </li>
                ) : caller ? null : (
                  <>
                    <NavLink href="/sign-in" current={false}>
                      Sign in
                    </NavLink>
                    <NavLink href="/sign-up" current={false}>
                      Sign up
                    </NavLink>
                  </>
                )}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="site-main">
          {props.flags ? <ModeBanner flags={props.flags} withPayments={props.withPayments ?? false} /> : null}
          {props.notice ? (
            <p
              id="notice"
              class={props.notice.kind === 'ok' ? 'notice' : `notice ${props.notice.kind}`}
              role={props.notice.kind === 'error' ? 'alert' : 'status'}
            >
              {props.notice.text}
            </p>
          ) : null}
          {props.children}
        </main>
        <footer class="site-footer">
          <div class="inner">
            <span>SmartSlate Polaris</span>
            <a href="/status" id="footer-status">
              System status
            </a>
            <a href="/pricing">Pricing</a>
          </div>
        </footer>
      </body>
    </html>
  );
}
