import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RequestLogWriter } from '../src/adapters/db/request-log-writer.ts';
import { ALERT_RULES } from '../src/domain/alert-rules.ts';
import { evaluateAlerts } from '../src/services/alerts/evaluate-alerts.ts';
import { listAlerts } from '../src/services/alerts/list-alerts.ts';
import { processInbox } from '../src/services/webhooks/process-inbox.ts';
import { cookiesFrom } from './support/accounts.ts';
import { settleWebhooks } from './support/billing-flow.ts';
import { runCliWith } from './support/cli-in-process.ts';
import { createTestContext, TEST_KEYS } from './support/context.ts';
import { describeEachBackend } from './support/databases.ts';
import { fullApp } from './support/full-app.ts';
import { createUser } from './support/seed.ts';
import { waitFor } from './support/wait.ts';
import { createNavigatorPlan, subscribeAndPay } from './webhook-fixtures.ts';

const MINUTE = 60;

describeEachBackend('alert rules through the emulator', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let server: Server;
  let url = '';
  let writer: RequestLogWriter;
  let planId = '';
  let users = 0;

  // The emulator's clock starts at the wall clock, so request-log rows (stamped by the wall clock)
  // and Razorpay's payment times fall in the same windows; it moves only when a test advances it.
  beforeAll(async () => {
    t = await createTestContext(get(), { startTime: Math.floor(Date.now() / 1000) });
    planId = await createNavigatorPlan(t.ctx);
    writer = new RequestLogWriter({
      insert: (entries) => t.ctx.repos.requestLogs.insertMany(entries),
      log: t.ctx.log,
      flushIntervalMs: 50,
    });
    const app = fullApp(t.ctx, { requestLog: { sink: writer, trustedProxies: [] } });
    server = createAdaptorServer({ fetch: app.fetch }) as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    t.emulator.addWebhook({ url: `${url}/api/webhooks/razorpay`, secret: TEST_KEYS.webhookSecret });
  });
  afterAll(async () => {
    await writer?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await t?.close();
  });

  const db = () => get().db;
  const evaluate = () => evaluateAlerts({ ctx: t.ctx });
  const checkouts = async (n: number, instrument: 'card_success' | 'card_failure') => {
    for (let i = 0; i < n; i++) {
      users += 1;
      await subscribeAndPay(t, await createUser(db(), `alert-${users}@example.com`), planId, instrument);
    }
  };
  const delivered = () =>
    waitFor(() => !t.emulator.deliveries().some((d) => d.status === 'pending'), 10_000, 'webhook deliveries');
  const alertIncidents = () =>
    db()
      .selectFrom('incidents')
      .select(['id', 'rule_key', 'severity', 'type', 'status', 'started_at'])
      .where('rule_key', 'is not', null)
      .orderBy('id')
      .execute();
  const timeline = (id: string) =>
    db()
      .selectFrom('incident_timeline')
      .select(['kind', 'message', 'actor'])
      .where('incident_id', '=', id)
      .orderBy('id')
      .execute();
  const openFor = async (rule: string) =>
    (await alertIncidents()).filter((i) => i.rule_key === rule && i.status !== 'resolved');

  it('twenty paid checkouts: every rule is clear and no incident opens', async () => {
    await checkouts(20, 'card_success');
    await settleWebhooks(t, db());
    const result = await evaluate();
    expect(result.database).toBe('reachable');
    expect(await alertIncidents()).toEqual([]);
    const listed = await listAlerts({ ctx: t.ctx });
    expect(listed.rules.find((r) => r.rule === 'payment-failure-rate')).toMatchObject({
      value: '0.0 % (0 of 20)',
      firingNow: false,
      state: 'clear',
    });
  });

  it('declined charges past 5 % open one medium payment incident; evaluating again opens no second one', async () => {
    await checkouts(2, 'card_failure');
    await settleWebhooks(t, db());
    await evaluate();
    await evaluate();
    const open = await openFor('payment-failure-rate');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      severity: 'medium',
      type: 'payment.processing',
      status: 'investigating',
    });
    const entries = await timeline(open[0]!.id);
    expect(entries.map((e) => e.kind)).toEqual(['opened', 'alert']);
    expect(entries[1]).toMatchObject({
      actor: 'alerts',
      message: expect.stringContaining('payment failure rate 9.1 %: 2 failed of 22 attempts in the last 5m'),
    });
  });

  it('more declines past 10 % raise the same incident to high, with a timeline entry and an audit row', async () => {
    await checkouts(1, 'card_failure');
    await settleWebhooks(t, db());
    await evaluate();
    const open = await openFor('payment-failure-rate');
    expect(open).toHaveLength(1);
    expect(open[0]?.severity).toBe('high');
    const entries = await timeline(open[0]!.id);
    expect(entries.at(-1)?.message).toMatch(
      /^Alert payment-failure-rate raised medium → high: payment failure rate 13\.0 %/,
    );
    const audit = await db()
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('action', '=', 'incident.severity')
      .execute();
    expect(audit).toEqual([
      { actor: 'alerts', details: expect.objectContaining({ from: 'medium', to: 'high' }) },
    ]);
  });

  it('with Razorpay’s API down, three webhook events in a row fail processing and a high incident opens', async () => {
    await checkouts(3, 'card_success');
    await delivered();
    t.emulator.startApiOutage({ mode: 'error', status: 503, duration_ms: 60_000 });
    try {
      const pass = await processInbox({ ctx: t.ctx, input: { backoffMs: 0 } });
      expect(pass.retried).toBeGreaterThanOrEqual(3);
      await evaluate();
    } finally {
      t.emulator.stopApiOutage();
    }
    const open = await openFor('webhook-failures');
    expect(open).toHaveLength(1);
    expect((await timeline(open[0]!.id)).at(-1)?.message).toContain(
      'the last 3 webhook events failed processing',
    );
    await settleWebhooks(t, db());
    await evaluate();
    const listed = await listAlerts({ ctx: t.ctx });
    expect(listed.rules.find((r) => r.rule === 'webhook-failures')).toMatchObject({
      firingNow: false,
      state: 'clear',
    });
  });

  it('ten deliveries with a forged signature within a minute open a security incident (polaris alerts --evaluate)', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${url}/api/webhooks/razorpay`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-razorpay-signature': 'f'.repeat(64),
          'x-razorpay-event-id': `evt_forged${i}`,
        },
        body: '{"event":"payment.captured"}',
      });
      expect(res.status).toBe(401);
    }
    await writer.flush();
    const cli = await runCliWith(t.ctx, ['alerts', '--evaluate']);
    expect(cli.code).toBe(0);
    const open = await openFor('signature-failures');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ severity: 'high', type: 'security' });
    expect(cli.stdout).toContain(`opened INC-${open[0]!.id} (signature-failures)`);
  });

  it('checkout failing five times in a row (Razorpay down) opens a critical payments-impossible incident', async () => {
    const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
      body: JSON.stringify({
        email: 'alert-checkout@example.com',
        password: 'correct-horse-battery',
        name: 'A',
      }),
    });
    expect(signUp.status).toBe(200);
    const cookie = cookiesFrom(signUp);
    t.emulator.startApiOutage({ mode: 'error', status: 503, duration_ms: 60_000 });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${url}/api/subscriptions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://localhost:3000', cookie },
          body: JSON.stringify({ tier: 'navigator', cycle: 'monthly', seats: 1 }),
        });
        expect(res.status).toBeGreaterThanOrEqual(500);
      }
    } finally {
      t.emulator.stopApiOutage();
    }
    await writer.flush();
    await evaluate();
    const open = await openFor('payments-impossible');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ severity: 'critical', type: 'payment' });
    expect((await timeline(open[0]!.id)).at(-1)?.message).toMatch(
      /the last 5 checkout requests failed with 5xx/,
    );
  });

  it('polaris alerts shows every rule with its threshold, value, state and incident (--json too)', async () => {
    const text = await runCliWith(t.ctx, ['alerts']);
    expect(text.code).toBe(0);
    for (const rule of ALERT_RULES) {
      expect(text.stdout).toContain(rule);
    }
    expect(text.stdout).toContain('> 5 % medium, > 10 % high, over 5m, ≥ 20 attempts');
    const json = await runCliWith(t.ctx, ['--json', 'alerts']);
    const parsed = JSON.parse(json.stdout) as {
      database: string;
      rules: { rule: string; state: string; incident: string | null }[];
    };
    expect(parsed.database).toBe('reachable');
    const incidentId = (await openFor('signature-failures'))[0]?.id;
    expect(parsed.rules.find((r) => r.rule === 'signature-failures')).toMatchObject({
      state: 'firing',
      incident: incidentId,
    });
  });

  it('webhooks stop being processed: past 5 minutes the oldest pending event opens a high backlog incident', async () => {
    await checkouts(1, 'card_success');
    await delivered();
    t.emulator.advanceClock(6 * MINUTE);
    await evaluate();
    const open = await openFor('webhook-backlog');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ severity: 'high', type: 'payment.webhooks' });
    expect((await timeline(open[0]!.id)).at(-1)?.message).toMatch(
      /the oldest pending webhook event is \d+ s old/,
    );
  });

  it('the backlog returning before its incident resolved adds "fired again" to the same incident', async () => {
    await settleWebhooks(t, db());
    expect((await evaluate()).database).toBe('reachable');
    await checkouts(1, 'card_success');
    await delivered();
    t.emulator.advanceClock(6 * MINUTE);
    await evaluate();
    const backlog = (await alertIncidents()).filter((i) => i.rule_key === 'webhook-backlog');
    expect(backlog).toHaveLength(1);
    expect((await timeline(backlog[0]!.id)).at(-1)?.message).toMatch(
      /^Alert webhook-backlog fired again: the oldest pending webhook event/,
    );
  });

  it('clear for the policy’s 10 minutes, every alert incident resolves itself and says so', async () => {
    await settleWebhooks(t, db());
    await evaluate();
    t.emulator.advanceClock(9 * MINUTE);
    await evaluate();
    expect(await openFor('webhook-backlog')).toHaveLength(1);
    t.emulator.advanceClock(MINUTE);
    await evaluate();
    const rules = [
      'payment-failure-rate',
      'webhook-failures',
      'signature-failures',
      'payments-impossible',
      'webhook-backlog',
    ];
    for (const rule of rules) {
      const incident = (await alertIncidents()).find((i) => i.rule_key === rule);
      expect(incident?.status).toBe('resolved');
      const last = (await timeline(incident!.id)).at(-1);
      expect(last).toMatchObject({ kind: 'resolved', actor: 'alerts' });
      expect(last?.message).toMatch(
        new RegExp(`^Auto-resolved by alert ${rule}: clear since .*the policy's clearFor is 10 min`),
      );
    }
    expect(await alertIncidents()).toHaveLength(rules.length);
  });
});
