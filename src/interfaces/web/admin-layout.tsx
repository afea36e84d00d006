import type { Child } from 'hono/jsx';
import type { FlagsView } from '../../domain/flags.ts';
import type { Caller } from '../http/env.ts';
import { Page, type PageProps } from './layout.tsx';

/** The admin console's sections, in the order of its navigation. */
export const ADMIN_SECTIONS = [
  { key: 'overview', href: '/admin', label: 'Overview' },
  { key: 'webhooks', href: '/admin/webhooks', label: 'Webhooks' },
  { key: 'flags', href: '/admin/flags', label: 'Flags' },
  { key: 'incidents', href: '/admin/incidents', label: 'Incidents' },
  { key: 'users', href: '/admin/users', label: 'Users' },
  { key: 'audit', href: '/admin/audit', label: 'Audit log' },
  { key: 'db', href: '/admin/db', label: 'Database' },
] as const;

/** One admin section's key. */
export type AdminSection = (typeof ADMIN_SECTIONS)[number]['key'];

/** An admin console page: the site shell plus the console's own navigation. */
export function AdminPage(props: {
  title: string;
  current: AdminSection;
  caller: Caller;
  flags: FlagsView | null;
  notice?: PageProps['notice'];
  head?: Child;
  children?: Child;
}) {
  return (
    <Page
      title={`${props.title} · Admin`}
      section="admin"
      caller={props.caller}
      flags={props.flags}
      notice={props.notice}
      head={props.head}
    >
      <nav aria-label="Admin" class="actions" id="admin-nav">
        {ADMIN_SECTIONS.map((s) => (
          <a href={s.href} aria-current={s.key === props.current ? 'page' : undefined}>
            {s.label}
          </a>
        ))}
      </nav>
      <h1>{props.title}</h1>
      {props.children}
    </Page>
  );
}
