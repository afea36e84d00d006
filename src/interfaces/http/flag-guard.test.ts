import { describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/logger.ts';
import { normalFlag, type StoredFlag } from '../../domain/flags.ts';
import type { BillingSettings } from '../../services/context.ts';
import { createHttpApp } from './app.ts';
import type { Caller } from './env.ts';
import { flagGuard, writeKindOf } from './flag-guard.ts';

const NOW = new Date('2026-11-30T12:00:00Z');

/** The app with the guard, a caller set by header, and one route that echoes what the guard kept. */
function guarded(stored: StoredFlag[]) {
  let reads = 0;
  const ctx = {
    flags: {
      stored: async () => {
        reads += 1;
        return stored;
      },
    },
    settings: { paymentsEnabled: true } as BillingSettings,
    now: () => NOW,
  };
  const app = createHttpApp({
    log: createLogger('silent'),
    readiness: async () => ({ ok: true, checks: {} }),
    middleware: [
      async (c, next) => {
        const role = c.req.header('x-role') as Caller['role'] | undefined;
        c.set('caller', role ? { userId: 'u', role, email: 'e' } : null);
        await next();
      },
      flagGuard(ctx),
    ],
    routes: [
      (a) =>
        a.on(['GET', 'POST', 'PUT', 'DELETE'], '/api/*', (c) =>
          c.json({ kept: c.get('flags')?.byName.maintenance.state ?? null }),
        ),
    ],
  });
  return { app, reads: () => reads };
}

const on = (name: StoredFlag['name'], expiresAt: Date | null = null): StoredFlag => ({
  ...normalFlag(name),
  state: name === 'payments' ? 'off' : 'on',
  message: 'planned work',
  expiresAt,
});

describe('writeKindOf', () => {
  it.each([
    ['GET', '/api/blueprints', null],
    ['HEAD', '/api/blueprints', null],
    ['OPTIONS', '/api/blueprints', null],
    ['POST', '/api/blueprints', 'data'],
    ['DELETE', '/api/blueprints/x', 'data'],
    ['PUT', '/pricing', 'data'],
    ['POST', '/api/auth/sign-up/email', 'data'],
    ['POST', '/api/auth/change-password', 'data'],
    ['POST', '/api/auth/sign-in/email', 'session'],
    ['POST', '/api/auth/sign-out', 'session'],
    ['POST', '/api/auth/sign-out/', 'session'],
    ['POST', '/status/subscribe', 'session'],
    ['POST', '/status/unsubscribe', 'session'],
    ['POST', '/api/webhooks/razorpay', 'exempt'],
    ['POST', '/api/health', 'exempt'],
    ['POST', '/api/cron/tick', 'exempt'],
    ['PUT', '/api/admin/flags/maintenance', 'flags'],
    ['PUT', '/api/admin/flags', 'flags'],
    ['PUT', '/api/admin/flagsx', 'data'],
    ['POST', '/api/admin/incidents', 'flags'],
    ['POST', '/api/admin/incidents/12/resolve', 'flags'],
    ['POST', '/api/admin/incidentsx', 'data'],
    ['POST', '/api/admin/maintenance', 'flags'],
    ['POST', '/api/admin/maintenance/3/cancel', 'flags'],
    ['POST', '/api/admin/users/x/disable', 'data'],
    ['POST', '/api/webhooksx', 'data'],
  ] as const)('%s %s is %s', (method, path, kind) => {
    expect(writeKindOf(method, path)).toBe(kind);
  });
});

describe('flagGuard', () => {
  it('never reads the flags for a read, even in read-only', async () => {
    const { app, reads } = guarded([on('read_only')]);
    expect((await app.request('/api/blueprints')).status).toBe(200);
    expect((await app.request('/api/blueprints', { method: 'HEAD' })).status).toBe(200);
    expect(reads()).toBe(0);
  });

  it('reads them once for a write and keeps them for the route', async () => {
    const { app, reads } = guarded([]);
    const res = await app.request('/api/blueprints', { method: 'POST' });
    expect(await res.json()).toEqual({ kept: 'off' });
    expect(reads()).toBe(1);
  });

  it('maintenance refuses a user with 503, the message and Retry-After from the expiry; an admin passes', async () => {
    const { app } = guarded([on('maintenance', new Date(NOW.getTime() + 90_000))]);
    const res = await app.request('/api/blueprints', { method: 'POST', headers: { 'x-role': 'user' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('90');
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'maintenance',
      message: expect.stringContaining('planned work'),
    });
    const admin = await app.request('/api/blueprints', { method: 'POST', headers: { 'x-role': 'admin' } });
    expect(admin.status).toBe(200);
  });

  it('read-only refuses admins too, but not the flags API, the incidents API or webhooks', async () => {
    const { app } = guarded([on('read_only')]);
    const admin = await app.request('/api/blueprints', { method: 'POST', headers: { 'x-role': 'admin' } });
    expect(admin.status).toBe(503);
    expect(admin.headers.get('retry-after')).toBe('60');
    expect(((await admin.json()) as { error: { code: string } }).error.code).toBe('read_only');
    const flags = await app.request('/api/admin/flags/read_only', {
      method: 'PUT',
      headers: { 'x-role': 'admin' },
    });
    expect(flags.status).toBe(200);
    const incident = await app.request('/api/admin/incidents/3/notes', {
      method: 'POST',
      headers: { 'x-role': 'admin' },
    });
    expect(incident.status).toBe(200);
    expect((await app.request('/api/webhooks/razorpay', { method: 'POST' })).status).toBe(200);
  });

  it('an expired mode no longer refuses, even before the expiry is written back', async () => {
    const { app } = guarded([on('maintenance', new Date(NOW.getTime() - 1))]);
    expect(
      (await app.request('/api/blueprints', { method: 'POST', headers: { 'x-role': 'user' } })).status,
    ).toBe(200);
  });
});
