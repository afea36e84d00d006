import { describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/logger.ts';
import { AppError } from '../../domain/errors.ts';
import { createHttpApp } from '../http/app.ts';
import { route } from '../http/routing.ts';

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

function app() {
  return createHttpApp({
    log: createLogger('silent'),
    readiness: async () => ({ ok: true, checks: {} }),
    routes: [
      (a) => {
        route(a, '/needs-sign-in', {
          GET: () => {
            throw new AppError('unauthorized', 'sign in first');
          },
          POST: () => {
            throw new AppError('unauthorized', 'sign in first');
          },
        });
        route(a, '/down', {
          GET: () => {
            throw new AppError('database_unavailable', 'the database is not answering');
          },
        });
        route(a, '/api/down', {
          GET: () => {
            throw new AppError('database_unavailable', 'the database is not answering');
          },
        });
      },
    ],
  });
}

describe('errors on pages: a browser gets HTML, the API keeps JSON', () => {
  it('sends a visitor who must sign in to /sign-in with the page to come back to', async () => {
    const res = await app().request('/needs-sign-in?tab=2', { headers: HTML });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent('/needs-sign-in?tab=2')}`);
    const post = await app().request('/needs-sign-in', { method: 'POST', headers: HTML });
    expect(post.status).toBe(303);
    expect(post.headers.get('location')).toBe('/sign-in');
  });

  it('answers a page error with an HTML page of the same status, its message, Retry-After and the status link', async () => {
    const res = await app().request('/down', { headers: HTML });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const body = await res.text();
    expect(body).toMatch(/^<!doctype html>/);
    expect(body).toContain('the database is not answering');
    expect(body).toContain('href="/status"');
    const missing = await app().request('/no-such-page', { headers: HTML });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Page not found');
  });

  it('keeps JSON for the API and for clients that do not ask for HTML', async () => {
    const api = await app().request('/api/down', { headers: HTML });
    expect(api.status).toBe(503);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('database_unavailable');
    const plain = await app().request('/needs-sign-in');
    expect(plain.status).toBe(401);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });
});
