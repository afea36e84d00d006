import type { Command } from 'commander';
import type { ConfigReport } from '../../../services/config/check-config.ts';
import { CliExit, EXIT, emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';

const MARK = { ok: '✓', fail: '✗', skip: '–' } as const;

function reportLines(report: ConfigReport): string[] {
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  return [
    ...report.checks.map((c) => `${MARK[c.status]} ${c.name}: ${c.detail}${c.fix ? ` → ${c.fix}` : ''}`),
    failed === 0
      ? `configuration ready for ${report.target}`
      : `${failed} check${failed === 1 ? '' : 's'} failed for ${report.target}`,
  ];
}

/** `polaris config check` (runbook: before deploying, and after rotating a key). */
export function registerConfigCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const config = program.command('config').description('configuration');

  config
    .command('check')
    .description('one line per check (✓/✗ with the fix), never a secret; exit 1 on any ✗')
    .option('--env <env>', 'judge for development, test or production', 'production')
    .option('--offline', 'do not contact Razorpay')
    .action(async (options: { env: string; offline?: boolean }) => {
      const report = await runtime.checkConfig(options.env, options.offline === true);
      emit(json(), report, () => reportLines(report));
      if (!report.ok) throw new CliExit(EXIT.checkFailed);
    });
}
