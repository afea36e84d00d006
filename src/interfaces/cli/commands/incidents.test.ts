import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { runCliWith } from '../../../../test/support/cli-in-process.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { incidentAuditRows, resetIncidents } from '../../../../test/support/incidents.ts';
import { cliActor } from '../actor.ts';

describeEachBackend('polaris incident …', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  const cli = (...args: string[]) => runCliWith(t.ctx, args);
  const me = cliActor();
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetIncidents(get().db);
  });
  const openOne = async () => {
    const r = await cli(
      'incident',
      'open',
      '--severity',
      'critical',
      '--type',
      'payment.webhooks',
      '--title',
      'Webhooks failing',
      '--components',
      'webhooks,checkout',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { incident: { id: string } }).incident.id;
  };

  it('opens, acks, updates, notes and resolves an incident, and shows its timeline as a table', async () => {
    const opened = await cli(
      'incident',
      'open',
      '--severity',
      'high',
      '--type',
      'payment',
      '--title',
      'Declines up',
    );
    expect(opened.code, opened.stderr).toBe(0);
    const id = /^opened INC-(\d+): high payment: Declines up$/m.exec(opened.stdout)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(opened.stdout).toContain(`  next: polaris incident ack ${id}\n`);

    const acked = await cli('incident', 'ack', id);
    expect([acked.code, acked.stdout]).toEqual([
      0,
      `INC-${id} acknowledged: investigating\n  acknowledged by ${me}; ${me} is commander\n  commander: ${me}\n`,
    ]);
    const update = await cli(
      'incident',
      'update',
      id,
      '--status',
      'identified',
      '--message',
      'Bank X down',
      '--public',
    );
    expect([update.code, update.stdout]).toEqual([
      0,
      `INC-${id} updated: identified (public)\n  Bank X down\n`,
    ]);
    expect((await cli('incident', 'note', id, '--message', 'Root cause: bank')).code).toBe(0);
    const listed = await cli('incident', 'list', '--open');
    expect(listed.stdout).toMatch(
      new RegExp(`│ INC-${id} +│ high +│ payment +│ identified +│ Declines up +│`),
    );
    const resolved = await cli('incident', 'resolve', id, '--message', 'Bank X is back');
    expect([resolved.code, resolved.stdout]).toEqual([0, `INC-${id} resolved: resolved\n  Bank X is back\n`]);
    expect((await cli('incident', 'list', '--open')).stdout).toBe('no open incidents\n');

    const shown = await cli('incident', 'show', id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`INC-${id}: high payment: Declines up\n  status:       resolved\n`);
    const rows = shown.stdout.split('\n').filter((l) => /^│ \d{4}-/.test(l));
    expect(
      rows.map((l) =>
        l
          .split('│')
          .map((c) => c.trim())
          .slice(2, 5),
      ),
    ).toEqual([
      ['opened', 'investigating', ''],
      ['acknowledged', '', ''],
      ['status_update', 'identified', 'yes'],
      ['note', '', ''],
      ['resolved', 'resolved', ''],
    ]);
    const json = JSON.parse((await cli('incident', 'show', id, '--json')).stdout) as {
      incident: { status: string };
      timeline: unknown[];
    };
    expect([json.incident.status, json.timeline.length]).toEqual(['resolved', 5]);
  });

  it('refuses bad input with exit 2 and one clear line, writing nothing', async () => {
    const id = await openOne();
    expect((await cli('incident', 'resolve', id, '--message', 'fixed')).code).toBe(0);
    const audit = await incidentAuditRows(get().db);
    const shown = (await cli('incident', 'show', id, '--json')).stdout;
    const cases: [string[], string | RegExp][] = [
      [
        ['incident', 'open', '--severity', 'sev1', '--type', 'payment', '--title', 'x'],
        "polaris: severity: 'sev1' is not one of critical, high, medium, low\n",
      ],
      [
        ['incident', 'open', '--severity', 'low', '--type', 'network', '--title', 'x'],
        /^polaris: type: 'network' is not one of payment, payment\.processing, .*security\.ddos\n$/,
      ],
      [['incident', 'open', '--severity', 'low', '--type', 'security'], 'polaris: title: required\n'],
      [
        ['incident', 'update', id, '--status', 'done', '--message', 'x'],
        "polaris: status: 'done' is not one of investigating, identified, monitoring, resolved\n",
      ],
      [['incident', 'show', '424242'], 'polaris: no incident INC-424242\n'],
      [['incident', 'ack', 'latest'], "polaris: id: 'latest' is not an incident id (a number such as 12)\n"],
      [
        ['incident', 'resolve', id, '--message', 'again'],
        new RegExp(`^polaris: INC-${id} was already resolved at \\S+Z\\n$`),
      ],
      [['incident', 'resolve', id], 'polaris: message: required\n'],
      [['incident', 'note', id], 'polaris: message: required\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      if (typeof stderr === 'string') expect(r.stderr).toBe(stderr);
      else expect(r.stderr).toMatch(stderr);
    }
    expect(await incidentAuditRows(get().db)).toEqual(audit);
    expect((await cli('incident', 'show', id, '--json')).stdout).toBe(shown);
    expect(JSON.parse((await cli('incident', 'list', '--json')).stdout).incidents).toHaveLength(1);
  });

  it('a second ack exits 2 naming who acknowledged it first', async () => {
    const id = await openOne();
    expect((await cli('incident', 'ack', id)).code).toBe(0);
    const again = await cli('incident', 'ack', id);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      new RegExp(`^polaris: INC-${id} was already acknowledged by ${me} at \\S+Z\\n$`),
    );
  });
});
