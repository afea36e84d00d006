import type { Hono } from 'hono';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';
import type { AppEnv } from '../../src/interfaces/http/env.ts';
import { PUBLIC_AUTH_PATHS } from '../../src/services/users/handle-auth-request.ts';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every write route the app registers, as `METHOD /path` (Hono's own list, so a new route shows up). */
export function writeRoutesOf(app: Hono<AppEnv>): string[] {
  const keys = app.routes.filter((r) => WRITE_METHODS.has(r.method)).map((r) => `${r.method} ${r.path}`);
  return [...new Set(keys)].sort();
}

/** One concrete request of a write route. */
export type WriteCall = { method: string; path: string; body: unknown };

/** What a caller owns, for requests that act on their own rows. */
export type CallerRows = { email: string; password: string; blueprintId: string };

/**
 * A concrete, valid request for each write route, as the given caller would send it. A route
 * missing here fails the suites that use it: add it, with a body that would change data.
 */
export function writeCallsFor(who: CallerRows): Record<string, WriteCall[]> {
  const auth: Record<string, unknown> = {
    '/sign-up/email': { email: `new-${who.email}`, password: who.password, name: 'New' },
    '/sign-in/email': { email: who.email, password: who.password },
    '/sign-out': {},
    '/get-session': {},
    '/list-sessions': {},
    '/revoke-session': { token: 'some-session-token' },
    '/revoke-sessions': {},
    '/revoke-other-sessions': {},
    '/update-user': { name: 'Renamed' },
    '/change-password': {
      currentPassword: who.password,
      newPassword: 'another-horse-battery',
      revokeOtherSessions: true,
    },
  };
  return {
    'POST /api/auth/*': [...PUBLIC_AUTH_PATHS].map((p) => ({
      method: 'POST',
      path: `/api/auth${p}`,
      body: auth[p] ?? {},
    })),
    // The pages' forms (auth-pages.tsx): the same better-auth endpoints as urlencoded forms.
    'POST /sign-up': [
      {
        method: 'POST',
        path: '/sign-up',
        body: { name: 'New', email: `form-${who.email}`, password: who.password },
      },
    ],
    'POST /sign-in': [
      { method: 'POST', path: '/sign-in', body: { email: who.email, password: who.password } },
    ],
    'POST /sign-out': [{ method: 'POST', path: '/sign-out', body: {} }],
    'POST /reset-password': [
      {
        method: 'POST',
        path: '/reset-password',
        body: { token: 'some-reset-token', password: who.password, confirm: who.password },
      },
    ],
    'POST /api/blueprints': [
      { method: 'POST', path: '/api/blueprints', body: { title: 'x', content: { a: 1 } } },
    ],
    'DELETE /api/blueprints/:id': [
      { method: 'DELETE', path: `/api/blueprints/${who.blueprintId}`, body: undefined },
    ],
    'POST /api/blueprints/:id/save': [
      { method: 'POST', path: `/api/blueprints/${who.blueprintId}/save`, body: undefined },
    ],
    'POST /blueprints': [{ method: 'POST', path: '/blueprints', body: { title: 'x', content: 'form text' } }],
    'POST /blueprints/:id/delete': [
      { method: 'POST', path: `/blueprints/${who.blueprintId}/delete`, body: { confirm: 'DELETE' } },
    ],
    'POST /api/subscriptions': [
      { method: 'POST', path: '/api/subscriptions', body: { tier: 'voyager', cycle: 'yearly' } },
    ],
    'POST /api/subscriptions/verify': [
      {
        method: 'POST',
        path: '/api/subscriptions/verify',
        body: {
          razorpay_payment_id: 'pay_ReadOnly000001',
          razorpay_subscription_id: 'sub_ReadOnly000001',
          razorpay_signature: 'f'.repeat(64),
        },
      },
    ],
    'POST /api/subscriptions/cancel': [
      { method: 'POST', path: '/api/subscriptions/cancel', body: { atCycleEnd: false } },
    ],
    'POST /account/cancel': [
      { method: 'POST', path: '/account/cancel', body: { when: 'now', confirm: 'CANCEL' } },
    ],
    'POST /account/plan': [
      { method: 'POST', path: '/account/plan', body: { tier: 'voyager', cycle: 'yearly', seats: '1' } },
    ],
    'POST /status/subscribe': [
      { method: 'POST', path: '/status/subscribe', body: { email: `status-${who.email}` } },
    ],
    'POST /status/unsubscribe': [
      { method: 'POST', path: `/status/unsubscribe?token=${'U'.repeat(43)}`, body: undefined },
    ],
  };
}

/**
 * The incident routes, each with a valid admin request on incident `id`: operator writes that
 * maintenance and read-only let through (flag-guard.ts), so they are not in writeCallsFor.
 */
export function incidentWriteCalls(id: string): Record<string, WriteCall[]> {
  const on = (verb: string, body: unknown): WriteCall[] => [
    { method: 'POST', path: `/api/admin/incidents/${id}/${verb}`, body },
  ];
  return {
    'POST /api/admin/incidents': [
      {
        method: 'POST',
        path: '/api/admin/incidents',
        body: { severity: 'critical', type: 'infrastructure', title: 'Shutdown drill' },
      },
    ],
    'POST /api/admin/incidents/:id/updates': on('updates', { status: 'identified', message: 'found it' }),
    'POST /api/admin/incidents/:id/ack': on('ack', {}),
    'POST /api/admin/incidents/:id/notes': on('notes', { message: 'a note' }),
    'POST /api/admin/incidents/:id/resolve': on('resolve', { message: 'over' }),
  };
}

/**
 * The maintenance routes, each with a valid admin request (window `id`, a new one at `start` for
 * an hour): operator writes like the incidents, so they are not in writeCallsFor either.
 */
export function maintenanceWriteCalls(id: string, start: Date): Record<string, WriteCall[]> {
  const end = new Date(start.getTime() + 3_600_000);
  return {
    'POST /api/admin/maintenance': [
      {
        method: 'POST',
        path: '/api/admin/maintenance',
        body: { start: start.toISOString(), end: end.toISOString(), message: 'Database upgrade' },
      },
    ],
    'POST /api/admin/maintenance/:id/cancel': [
      { method: 'POST', path: `/api/admin/maintenance/${id}/cancel`, body: { reason: 'postponed' } },
    ],
  };
}

/**
 * The admin console's form posts (/admin/flags, /admin/webhooks), each with a valid admin form:
 * operator writes like the flags API (flag-guard.ts OPERATOR_PREFIXES), so not in writeCallsFor.
 */
export function adminConsoleWriteCalls(): Record<string, WriteCall[]> {
  const form = (path: string, body: Record<string, string>): WriteCall[] => [{ method: 'POST', path, body }];
  return {
    'POST /admin/flags/:name': form('/admin/flags/maintenance', {
      state: 'on',
      reason: 'drill',
      message: 'drill',
      confirm: 'yes',
    }),
    'POST /admin/flags/emergency/shutdown': form('/admin/flags/emergency/shutdown', {
      reason: 'drill',
      confirm: 'SHUTDOWN',
    }),
    'POST /admin/flags/emergency/lift': form('/admin/flags/emergency/lift', {
      reason: 'drill',
      confirm: 'LIFT',
    }),
    'POST /admin/webhooks/retry': form('/admin/webhooks/retry', { ids: 'EvtNotStored0001' }),
  };
}

/**
 * The admin console's incident, user and database forms (src/interfaces/web/admin-records-pages.tsx),
 * each with a valid admin form on incident `id` and account `userId`: operator writes that
 * maintenance and read-only let through, as the CLI commands they mirror run then. `body` holds
 * the form's fields; the user forms change user data on purpose (containing a breach).
 */
export function adminRecordsFormCalls(
  id: string,
  userId: string,
  email: string,
): Record<string, WriteCall[]> {
  const form = (path: string, body: Record<string, string>): WriteCall[] => [{ method: 'POST', path, body }];
  const confirmed = { reason: 'read-only drill', confirm: email };
  return {
    'POST /admin/incidents': form('/admin/incidents', {
      severity: 'critical',
      type: 'security',
      title: 'Shutdown drill',
    }),
    'POST /admin/incidents/:id/updates': form(`/admin/incidents/${id}/updates`, {
      status: 'identified',
      message: 'found it',
    }),
    'POST /admin/incidents/:id/resolve': form(`/admin/incidents/${id}/resolve`, { message: 'over' }),
    'POST /admin/users/:id/disable': form(`/admin/users/${userId}/disable`, confirmed),
    'POST /admin/users/:id/enable': form(`/admin/users/${userId}/enable`, { reason: 'read-only drill' }),
    'POST /admin/users/:id/revoke-sessions': form(`/admin/users/${userId}/revoke-sessions`, confirmed),
    'POST /admin/users/:id/require-reset': form(`/admin/users/${userId}/require-reset`, confirmed),
    'POST /admin/db/verify': form('/admin/db/verify', {}),
    'POST /admin/db/backup': form('/admin/db/backup', { label: 'drill' }),
  };
}

// Stores of operations, not user data: the inbox keeps taking deliveries, flags, incidents and
// the audit log stay writable for admins, logs and migration bookkeeping are the system's own;
// the scheduler keeps paging (incident_pages, scheduler_leader, the notification outbox), judging
// the alert rules (alert_states) and keeping the status page's history during a shutdown.
const NOT_USER_DATA = new Set([
  'razorpay_webhook_events',
  'system_flags',
  'audit_log',
  'request_logs',
  'incidents',
  'incident_timeline',
  'maintenance_windows',
  'incident_pages',
  'scheduler_leader',
  'alert_states',
  'component_state_history',
  'notification_requests',
  'notifications',
]);

/** An md5 of every user-data table's rows (ordered), by table name. */
export async function userDataChecksums(db: Kysely<Database>): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
    ORDER BY table_name`.execute(db);
  const sums: Record<string, string> = {};
  for (const { name } of tables.rows) {
    if (NOT_USER_DATA.has(name) || name.includes('migration')) continue;
    const row = await sql<{ sum: string }>`
      SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum
      FROM ${sql.table(name)} t`.execute(db);
    sums[name] = row.rows[0]?.sum ?? '';
  }
  return sums;
}
