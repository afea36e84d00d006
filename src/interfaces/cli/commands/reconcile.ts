import type { Command } from 'commander';
import { AppError } from '../../../domain/errors.ts';
import {
  DEFAULT_CONCURRENCY,
  type ReconcileReport,
  reconcileWithRazorpay,
} from '../../../services/reconcile/reconcile-with-razorpay.ts';
import type { Fields } from '../../../services/reconcile/steps/drift.ts';
import { CliExit, EXIT, emit } from '../output.ts';
import { type Progress, startProgress } from '../progress.ts';
import type { CliRuntime } from '../runtime.ts';
import { table } from '../table.ts';

type Options = { since: string; apply?: boolean; concurrency: string };

const LEFT_SHOWN = 50;

function concurrencyOf(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > 32) {
    throw new AppError(
      'bad_request',
      `--concurrency ${JSON.stringify(text)}: expected a whole number from 1 to 32`,
    );
  }
  return n;
}

// One field per line keeps the table narrow enough for a terminal.
const fields = (f: Fields | null, none: string) =>
  f === null
    ? none
    : Object.entries(f)
        .map(([k, v]) => `${k} ${v}`)
        .join('\n');

function reportLines(r: ReconcileReport): string[] {
  const window = `since ${r.since.toISOString()}`;
  const mode = r.apply ? `${r.repaired} repaired` : 'dry run; --apply repairs what the state machine can';
  const lines = [
    `reconcile ${window}: ${r.checked} subscription${r.checked === 1 ? '' : 's'} checked, ${r.drift.length} drift${r.drift.length === 1 ? '' : 's'} (${mode})`,
  ];
  if (r.drift.length > 0) {
    lines.push(
      table(
        ['entity', 'ours', "Razorpay's", 'action'],
        r.drift.map((d) => [
          d.entity === 'subscription' ? `subscription ${d.id}` : `payment ${d.id}\n(${d.subscription})`,
          fields(d.ours, '(no row)'),
          fields(d.razorpay, '(unknown to Razorpay)'),
          d.outcome ? `${d.action}: ${d.outcome}` : d.action,
        ]),
      ),
    );
  }
  if (r.retries > 0)
    lines.push(`Razorpay asked us to slow down or failed ${r.retries} time(s); retried with backoff`);
  if (r.failure) {
    lines.push(`stopped: ${r.failure}`);
    const shown = r.left.slice(0, LEFT_SHOWN).join(', ');
    const more =
      r.left.length > LEFT_SHOWN ? ` and ${r.left.length - LEFT_SHOWN} more (--json lists all)` : '';
    lines.push(`not reconciled (${r.left.length}): ${shown || '(none)'}${more}`);
    if (!r.listed) lines.push("not read: Razorpay's list of the subscriptions created in the window");
    lines.push('run the same command again once Razorpay answers; what was applied stays applied');
  }
  return lines;
}

/** `polaris reconcile`: our subscriptions against Razorpay's, the drift, and with --apply its repair (DESIGN §7, §9). */
export function registerReconcileCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  program
    .command('reconcile')
    .description(
      "compare subscriptions and payments changed or due in the window with Razorpay's; --apply converges them",
    )
    .option('--since <window>', 'how far back: 30m, 24h, 7d or an ISO date', '24h')
    .option('--apply', 'write the repairs through the billing state machine (audit actor reconcile)')
    .option('--concurrency <n>', 'subscriptions fetched at once (1-32)', String(DEFAULT_CONCURRENCY))
    .action((options: Options) =>
      runtime.withContext(async (ctx) => {
        const concurrency = concurrencyOf(options.concurrency);
        let bar: Progress | null = null;
        const report = await reconcileWithRazorpay({
          ctx,
          input: {
            since: options.since,
            apply: options.apply === true,
            concurrency,
            progress: {
              start: (total) => {
                bar = startProgress(total, 'reconcile', json());
              },
              tick: (id) => bar?.tick(id),
            },
          },
        }).finally(() => (bar as Progress | null)?.stop());
        const unresolved = report.drift.some((d) => d.outcome !== 'applied');
        const ok = report.failure === null && !unresolved;
        emit(json(), { ok, ...report }, () => reportLines(report));
        if (!ok) throw new CliExit(EXIT.checkFailed);
      }),
    );
}
