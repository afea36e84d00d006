import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { runCliWith } from '../../../../test/support/cli-in-process.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { incidentAuditRows, resetIncidents } from '../../../../test/support/incidents.ts';

describeEachBackend('polaris incident report / note --tag', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  const cli = (...args: string[]) => runCliWith(t.ctx, args);
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
      'medium',
      '--type',
      'payment',
      '--title',
      'Slow',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { incident: { id: string } }).incident.id;
  };

  it('prints the filled template as Markdown, or JSON with --format json and with --json', async () => {
    const id = await openOne();
    const note = await cli('incident', 'note', id, '--tag', 'root cause', '--message', 'a slow bank');
    expect(note.code, note.stderr).toBe(0);
    const md = await cli('incident', 'report', id);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(new RegExp(`^# Incident Report\\n\\n\\*\\*Incident ID\\*\\*: INC-${id}\\n`));
    expect(md.stdout).toContain('## Root Cause Analysis\n- a slow bank\n');
    for (const args of [['--format', 'json'], ['--json']]) {
      const r = await cli('incident', 'report', id, ...args);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        label: `INC-${id}`,
        severity: 'medium',
        rootCause: ['a slow bank'],
        durations: { ttd: 0, tta: null, ttr: null },
        figures: { usersAffected: 0, dataLoss: { lost: false } },
      });
    }
    const stored = await cli('incident', 'show', id, '--json');
    expect((JSON.parse(stored.stdout) as { timeline: { message: string }[] }).timeline[1]?.message).toBe(
      'root-cause: a slow bank',
    );
  });

  it('refuses an unknown format, an unknown incident and an unknown tag with exit 2, writing nothing', async () => {
    const id = await openOne();
    const audit = await incidentAuditRows(get().db);
    const cases: [string[], string][] = [
      [['incident', 'report', id, '--format', 'pdf'], "polaris: format: 'pdf' is not one of md, json\n"],
      [['incident', 'report', '424242'], 'polaris: no incident INC-424242\n'],
      [
        ['incident', 'note', id, '--tag', 'rumour', '--message', 'x'],
        "polaris: tag: 'rumour' is not one of summary, impact, root-cause, resolution, lesson, prevention, follow-up, security\n",
      ],
    ];
    for (const [args, stderr] of cases) {
      const r = await cli(...args);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', stderr]);
    }
    expect(await incidentAuditRows(get().db)).toEqual(audit);
  });
});
