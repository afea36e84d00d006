import Table from 'cli-table3';
import type { DeploymentView } from '../../../services/deploys/deployment-view.ts';
import type { CodeRollbackPlan } from '../../../services/deploys/plan-code-rollback.ts';
import { previewLines } from './db-text.ts';

const short = (commit: string | null) => commit?.slice(0, 12) ?? '-';
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
const migrations = (n: number) => `${n} ${plural(n, 'migration', 'migrations')}`;

/** The deployment ledger as a table, newest first. */
export function deploymentTable(rows: DeploymentView[]): string[] {
  if (rows.length === 0) return ['no deployment recorded yet: each server start records one'];
  const table = new Table({
    head: ['#', 'started (UTC)', 'version', 'commit', 'schema', 'migrations', 'host'],
    style: { head: [], border: [] },
  });
  for (const d of rows) {
    const started = d.startedAt.replace('T', ' ').replace(/\.\d+Z$/, '');
    table.push([d.id, started, d.version, short(d.commit), d.schema, String(d.migrations.length), d.host]);
  }
  return table.toString().split('\n');
}

function describeTarget(d: DeploymentView): string {
  const commit = d.commit ? ` at commit ${short(d.commit)}` : ' (no commit recorded)';
  return `Target: ${d.version}${commit}, deployment #${d.id}, started ${d.startedAt} on ${d.host}; it knew ${migrations(d.migrations.length)} (schema ${d.schema}).`;
}

// How to put the target's code back: Vercel's instant rollback, or the commit on any host.
function deployLines(d: DeploymentView): string[] {
  const where = d.deploymentUrl ?? '<its deployment URL: vercel ls>';
  const source = d.commit ? `git checkout ${d.commit}` : `git checkout v${d.version}`;
  return [
    `       Vercel:     vercel rollback ${where}`,
    `       other host: ${source}, then deploy it as you deploy any release`,
  ];
}

function checkLines(d: DeploymentView, step: number): string[] {
  const commit = d.commit ? ` shows "commit":"${d.commit}"` : ` shows "version":"${d.version}"`;
  return [
    `  ${step}. Check:  curl -s https://<host>/api/health   #${commit}`,
    '             npx polaris db status                # with its code: exit 0',
  ];
}

const BACKUP_LINES = [
  '  1. Back up first (the same on PostgreSQL and the embedded database; it prints the backup id):',
  '       npx polaris db backup --label before-code-rollback',
];

/** The plan for people: code-only steps, or what to undo and the full sequence with a backup first. */
export function rollbackPlanLines(plan: CodeRollbackPlan): string[] {
  const d = plan.target;
  const lines = [describeTarget(d)];
  const lacking =
    plan.notApplied.length === 0
      ? []
      : [
          `It knew ${migrations(plan.notApplied.length)} this database lacks (${plan.notApplied.join(', ')}):`,
          '  with its code, run npx polaris db migrate before it serves (production never migrates at start).',
        ];
  if (plan.codeOnly) {
    return [
      ...lines,
      `The database is at or below what it knew: all ${plan.applied.length} applied migrations were applied when it started.`,
      ...lacking,
      'Code-only rollback is safe:',
      '  1. Deploy its code:',
      ...deployLines(d),
      ...checkLines(d, 2),
    ];
  }
  const ahead = plan.ahead.join(',');
  return [
    ...lines,
    `The database is ahead of it: ${migrations(plan.ahead.length)} applied that it never knew (${plan.ahead.join(', ')}).`,
    'Code alone cannot go back: its code has no file for them, so its readiness answers 503 and its db status exits 1 (missing).',
    ...lacking,
    ...previewLines(plan.undo),
    'Full rollback, in order:',
    ...BACKUP_LINES,
    '  2. With the code running now (it has their down files; step 1 took the backup):',
    `       npx polaris db rollback --only ${ahead} --no-backup --yes`,
    '  3. Deploy its code:',
    ...deployLines(d),
    ...checkLines(d, 4),
  ];
}
