import { describe, expect, it } from 'vitest';
import { TEST_AUTH } from '../../../../test/support/accounts.ts';
import { createUnreachableContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { fullApp } from '../../../../test/support/full-app.ts';
import { appOverSuiteDatabase, signedUp } from '../../../../test/support/security.ts';
import { addIncidentNote } from '../../../services/incidents/add-note.ts';
import { openIncident } from '../../../services/incidents/open-incident.ts';

type ErrorBody = { error: { code: string; message: string } };
const bearer = { authorization: `Bearer ${TEST_AUTH.adminToken}` };

describeEachBackend('GET /api/admin/incidents/:id/report', { migrated: true }, (get) => {
  const h = appOverSuiteDatabase(get);
  const openOne = async () => {
    const incident = await openIncident({
      ctx: h.t.ctx,
      input: { severity: 'high', type: 'payment.webhooks', title: 'Webhooks late', actor: 'test' },
    });
    await addIncidentNote({
      ctx: h.t.ctx,
      input: { id: incident.id, tag: 'follow-up', message: 'alert sooner', actor: 'test' },
    });
    return incident.id;
  };

  it('answers the report as JSON, and as the Markdown template with ?format=md', async () => {
    const id = await openOne();
    const res = await h.app.request(`/api/admin/incidents/${id}/report`, { headers: bearer });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(((await res.json()) as { report: unknown }).report).toMatchObject({
      label: `INC-${id}`,
      followUps: ['alert sooner'],
      window: { open: true },
    });
    const md = await h.app.request(`/api/admin/incidents/INC-${id}/report?format=md`, { headers: bearer });
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const text = await md.text();
    expect(text).toMatch(new RegExp(`^# Incident Report\\n\\n\\*\\*Incident ID\\*\\*: INC-${id}\\n`));
    expect(text).toContain('## Follow-up Actions\n- alert sooner\n');
  });

  it('401 anonymous, 403 non-admin, 400 a bad format or id, 404 unknown, 405 other methods', async () => {
    const id = await openOne();
    const user = (await signedUp(h.app, get().db, 'report-user@example.com')).cookie;
    const cases: [string, Record<string, string>, number, string][] = [
      [`/api/admin/incidents/${id}/report`, {}, 401, 'unauthorized'],
      [`/api/admin/incidents/${id}/report`, { cookie: user }, 403, 'forbidden'],
      [`/api/admin/incidents/${id}/report?format=pdf`, bearer, 400, 'bad_request'],
      [`/api/admin/incidents/${id}/report?since=1`, bearer, 400, 'bad_request'],
      ['/api/admin/incidents/abc/report', bearer, 400, 'bad_request'],
      ['/api/admin/incidents/424242/report', bearer, 404, 'not_found'],
    ];
    for (const [path, headers, status, code] of cases) {
      const res = await h.app.request(path, { headers });
      expect([path, res.status, ((await res.json()) as ErrorBody).error.code]).toEqual([path, status, code]);
    }
    const post = await h.app.request(`/api/admin/incidents/${id}/report`, {
      method: 'POST',
      headers: { ...bearer, origin: TEST_AUTH.baseUrl },
    });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });
});

describe('the report route over a database that cannot be reached', () => {
  it('answers 503 database_unavailable with Retry-After', async () => {
    const dead = await createUnreachableContext();
    try {
      const res = await fullApp(dead.ctx).request('/api/admin/incidents/1/report', { headers: bearer });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await res.json()) as ErrorBody).error.code).toBe('database_unavailable');
    } finally {
      await dead.close();
    }
  });
});
