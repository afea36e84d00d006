import type { Command } from 'commander';
import { checkRestoration } from '../../../services/restore-check/check-restoration.ts';
import type { RestorationReport } from '../../../services/restore-check/restoration-report.ts';
import { parseBaseUrl } from '../../../services/smoke/run-smoke.ts';
import { CliExit, EXIT, emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';

const MARK = { pass: '✓', fail: '✗', skip: '–' } as const;

function reportLines(report: RestorationReport): string[] {
  const failed = report.items.filter((i) => i.status === 'fail').length;
  return [
    `Service restoration checklist for ${report.url}`,
    ...report.items.flatMap((i) => [
      `${MARK[i.status]} ${i.name}: ${i.detail}`,
      ...(i.fix ? [`    fix: ${i.fix}`] : []),
    ]),
    failed === 0
      ? 'every item holds: the service can be declared restored'
      : `${failed} item${failed === 1 ? '' : 's'} failed: not restored yet`,
  ];
}

/** `polaris restore-check` (runbook: Service Restoration Checklist, checked by machine). */
export function registerRestoreCheckCommands(
  program: Command,
  runtime: CliRuntime,
  json: () => boolean,
): void {
  program
    .command('restore-check')
    .description('each item of the restoration checklist ✓/✗ with the command that fixes it; exit 1 on any ✗')
    .option('--url <base>', 'the instance to check health on (default: PUBLIC_BASE_URL)')
    .action((options: { url?: string }) => {
      const url = parseBaseUrl(options.url ?? runtime.restoreCheck.defaultUrl).toString();
      return runtime.withContext(async (ctx) => {
        const report = await checkRestoration({
          ctx: { ctx, http: runtime.restoreCheck.probe(url), seams: runtime.restoreCheck.seams },
          input: { url },
        });
        emit(json(), report, () => reportLines(report));
        if (!report.ok) throw new CliExit(EXIT.checkFailed);
      });
    });
}
