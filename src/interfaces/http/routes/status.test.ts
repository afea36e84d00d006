import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { fullApp } from '../../../../test/support/full-app.ts';
import { resetIncidents } from '../../../../test/support/incidents.ts';
import { parseXml, type XmlElement } from '../../../../test/support/xml.ts';
import { addIncidentNote } from '../../../services/incidents/add-note.ts';
import { openIncident } from '../../../services/incidents/open-incident.ts';
import { resolveIncident } from '../../../services/incidents/resolve-incident.ts';
import { updateIncident } from '../../../services/incidents/update-incident.ts';

// biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON field by field
type Json = Record<string, any>;

describeEachBackend('the public status page and its Statuspage JSON', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetIncidents(get().db);
    await get().db.deleteFrom('maintenance_windows').execute();
  });
  // A new app has an empty status cache, so it reads the database now.
  const request = (path: string, init?: RequestInit) => fullApp(t.ctx).request(path, init);
  const json = async (path: string) => {
    const res = await request(path);
    expect(res.status, path).toBe(200);
    return (await res.json()) as Json;
  };
  const page = async () => {
    const res = await request('/status');
    expect(res.status).toBe(200);
    return res.text();
  };
  const open = () =>
    openIncident({
      ctx: t.ctx,
      input: {
        severity: 'high',
        type: 'payment.processing',
        title: 'Card payments failing',
        components: 'checkout,webhooks',
        actor: 'cli:ops',
      },
    });
  const publish = (id: string, message: string, status = 'investigating') =>
    updateIncident({ ctx: t.ctx, input: { id, status, message, public: true, actor: 'cli:ops' } });
  const schedule = (startsIn: number, endsIn: number, status = 'scheduled') =>
    get()
      .db.insertInto('maintenance_windows')
      .values({
        starts_at: new Date(t.ctx.now().getTime() + startsIn * 1000),
        ends_at: new Date(t.ctx.now().getTime() + endsIn * 1000),
        message: 'Database upgrade to PostgreSQL 16',
        components: ['database', 'api'],
        status: status as 'scheduled',
        created_by: 'cli:ops',
        created_at: t.ctx.now(),
        updated_at: t.ctx.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();

  it('serves the page without a script: all operational, the subscribe form, cache headers', async () => {
    const res = await request('/status');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=5, stale-if-error=86400');
    const html = await res.text();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toContain('<script');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(html).toContain('All Systems Operational');
    expect(html).toMatch(
      /id="component-checkout"><span>Checkout<\/span><span class="state s-operational">Operational/,
    );
    expect(html).toContain('No open incidents.');
    expect(html).toMatch(/<form method="post" action="\/status\/subscribe">/);
    expect(html).toContain('<label for="subscribe-email">Email</label>');
    expect((html.match(/<div class="bars"/g) ?? []).length).toBe(5);
    expect(html).not.toContain('id="stale"');
  });

  it('shows an open incident in the component states at once, and its story only once a public update is posted', async () => {
    const incident = await open();
    await addIncidentNote({
      ctx: t.ctx,
      input: { id: incident.id, message: 'secret root cause', actor: 'a' },
    });
    let html = await page();
    expect(html).toMatch(/id="component-checkout">.*?Partial outage/);
    expect(html).toContain('Partial System Outage');
    expect(html).not.toContain('Card payments failing');
    expect((await json('/api/v2/incidents.json')).incidents).toEqual([]);

    await publish(incident.id, 'We are looking into failed card payments.');
    html = await page();
    expect(html).toContain('Card payments failing');
    expect(html).toContain('We are looking into failed card payments.');
    expect(html).not.toContain('secret root cause');
    expect(html).toContain(`id="inc-${incident.id}"`);
  });

  it('answers summary, status, incidents and scheduled maintenances in Statuspage shapes', async () => {
    const incident = await open();
    await publish(incident.id, 'Investigating failed payments.');
    await publish(incident.id, 'A fix is out; watching.', 'monitoring');
    const window = await schedule(3_600, 7_200);

    const summary = await json('/api/v2/summary.json');
    expect(summary.page).toEqual({
      id: 'polaris',
      name: 'SmartSlate Polaris',
      url: 'http://localhost:3000/status',
      time_zone: 'Etc/UTC',
      updated_at: t.ctx.now().toISOString(),
    });
    expect(summary.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    expect(summary.components.map((c: Json) => [c.id, c.status, c.position])).toEqual([
      ['checkout', 'partial_outage', 1],
      ['webhooks', 'partial_outage', 2],
      ['api', 'operational', 3],
      ['web', 'operational', 4],
      ['database', 'operational', 5],
    ]);
    expect(Object.keys(summary.components[0]).sort()).toEqual(
      [
        'created_at',
        'description',
        'group',
        'group_id',
        'id',
        'name',
        'only_show_if_degraded',
        'page_id',
        'position',
        'showcase',
        'start_date',
        'status',
        'updated_at',
      ].sort(),
    );
    const [inc] = summary.incidents;
    expect(inc).toMatchObject({
      id: `INC-${incident.id}`,
      name: 'Card payments failing',
      status: 'monitoring',
      impact: 'major',
      resolved_at: null,
      page_id: 'polaris',
      shortlink: `http://localhost:3000/status#inc-${incident.id}`,
    });
    expect(inc.monitoring_at).not.toBeNull();
    expect(inc.incident_updates.map((u: Json) => [u.status, u.body])).toEqual([
      ['monitoring', 'A fix is out; watching.'],
      ['investigating', 'Investigating failed payments.'],
    ]);
    expect(inc.components.map((c: Json) => c.id)).toEqual(['checkout', 'webhooks']);
    expect(summary.scheduled_maintenances).toHaveLength(1);
    expect(summary.scheduled_maintenances[0]).toMatchObject({
      id: `MW-${window.id}`,
      status: 'scheduled',
      impact: 'maintenance',
      scheduled_for: new Date(t.ctx.now().getTime() + 3_600_000).toISOString(),
      scheduled_until: new Date(t.ctx.now().getTime() + 7_200_000).toISOString(),
    });

    const status = await json('/api/v2/status.json');
    expect(Object.keys(status).sort()).toEqual(['page', 'status']);
    expect((await json('/api/v2/incidents.json')).incidents).toHaveLength(1);
    const maint = await json('/api/v2/scheduled-maintenances.json');
    expect(maint.scheduled_maintenances[0].components.map((c: Json) => c.id)).toEqual(['api', 'database']);
    const res = await request('/api/v2/summary.json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('public, max-age=5, stale-if-error=86400');
  });

  it('moves a resolved incident to past incidents: gone from summary, kept in incidents.json and the feed', async () => {
    const incident = await open();
    await publish(incident.id, 'Investigating.');
    await resolveIncident({
      ctx: t.ctx,
      input: { id: incident.id, message: 'Payments work again.', public: true, actor: 'cli:ops' },
    });
    const summary = await json('/api/v2/summary.json');
    expect(summary.incidents).toEqual([]);
    expect(summary.status.indicator).toBe('none');
    const [inc] = (await json('/api/v2/incidents.json')).incidents;
    expect(inc).toMatchObject({ status: 'resolved', resolved_at: t.ctx.now().toISOString() });
    const html = await page();
    expect(html).toContain('No open incidents.');
    expect(html).toMatch(/id="h-history">Past incidents<\/h2><div id="history">.*Payments work again\./s);

    const res = await request('/status/feed.atom');
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = parseXml(await res.text());
    expect(feed.name).toBe('feed');
    const entries = feed.children.filter((c) => c.name === 'entry');
    expect(entries).toHaveLength(1);
    const field = (e: XmlElement, name: string) => e.children.find((c) => c.name === name);
    expect(field(entries[0]!, 'title')?.text).toBe('Card payments failing (resolved)');
    expect(field(entries[0]!, 'content')?.text).toContain('Payments work again.');
  });

  it('shows maintenance in progress by the clock on the components, and never a cancelled window', async () => {
    await schedule(-60, 3_600);
    await schedule(60, 120, 'cancelled');
    const summary = await json('/api/v2/summary.json');
    expect(summary.status).toEqual({ indicator: 'maintenance', description: 'Service Under Maintenance' });
    expect(summary.components.find((c: Json) => c.id === 'database').status).toBe('under_maintenance');
    expect(summary.scheduled_maintenances.map((m: Json) => m.status)).toEqual(['in_progress']);
    const html = await page();
    expect(html).toMatch(/In progress: .* UTC to .* UTC<\/h3><p>Database upgrade to PostgreSQL 16/);
  });

  it('keeps status polls out of the request log, unlike other API requests', async () => {
    const paths: string[] = [];
    const app = fullApp(t.ctx, {
      requestLog: { sink: { record: (entry) => paths.push(entry.path) }, trustedProxies: [] },
    });
    await app.request('/api/v2/summary.json');
    await app.request('/api/v2/status.json');
    await app.request('/api/plans');
    expect(paths).toEqual(['/api/plans']);
  });

  it('answers HEAD, refuses other methods with 405, and escapes what operators typed', async () => {
    expect((await request('/status', { method: 'HEAD' })).status).toBe(200);
    const post = await request('/api/v2/summary.json', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const incident = await open();
    await publish(incident.id, '<img src=x onerror=alert(1)> & more');
    const html = await page();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; more');
    expect(await (await request('/status/feed.atom')).text()).not.toContain('<img');
    const tagged = await openIncident({
      ctx: t.ctx,
      input: { severity: 'low', type: 'payment', title: 'Slow <b>receipts</b> ]]>', actor: 'cli:ops' },
    });
    await publish(tagged.id, 'Looking.');
    const feed = parseXml(await (await request('/status/feed.atom')).text());
    const titles = feed.children
      .filter((c) => c.name === 'entry')
      .map((e) => e.children.find((c) => c.name === 'title')?.text);
    expect(titles).toContain('Slow &lt;b&gt;receipts&lt;/b&gt; ]]&gt; (investigating)');
  });
});
