import type { Command } from 'commander';
import { AppError } from '../../../domain/errors.ts';
import { parseBaseUrl, runSmoke } from '../../../services/smoke/run-smoke.ts';
import type { SmokeReport, SmokeStepResult } from '../../../services/smoke/smoke-report.ts';
import { CliExit, EXIT, emit } from '../output.ts';
import { type Progress, startProgress } from '../progress.ts';
import type { CliRuntime } from '../runtime.ts';
import { table } from '../table.ts';
import { writeSmokeJunit } from './smoke-junit.ts';

const MARK = { pass: '✓', fail: '✗', skip: '–' } as const;
type Recording = Awaited<ReturnType<CliRuntime['smoke']['record']>>;
type SmokeOptions = { url?: string; full?: boolean; junit?: string; record: boolean };

function reportLines(report: SmokeReport, recording: Recording, junit: string | undefined): string[] {
  const count = (s: SmokeStepResult['status']) => report.steps.filter((x) => x.status === s).length;
  const rows = report.steps.map((s) => [`${MARK[s.status]} ${s.name}`, `${s.durationMs} ms`, s.detail]);
  return [
    `smoke ${report.url} (${report.full ? 'full: buys, cancels and refunds a test subscription' : 'read-only'})`,
    table(['step', 'time', 'detail'], rows),
    `${report.steps.length} steps: ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped in ${(report.durationMs / 1000).toFixed(1)} s`,
    recording.recorded ? `recorded as smoke run ${recording.id}` : `not recorded: ${recording.reason}`,
    ...(junit ? [`JUnit report written to ${junit}`] : []),
  ];
}

/** `polaris smoke --url <base> [--full] [--json | --junit FILE]` (runbook: npm run smoke:tests:prod). */
export function registerSmokeCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  program
    .command('smoke')
    .description(
      'smoke-test a served instance, each step timed; read-only unless --full; exit 1 if a step fails',
    )
    .option('--url <base>', 'the instance, e.g. https://polaris.example.com (required)')
    .option('--full', 'also buy, verify, cancel and refund a test subscription (refuses rzp_live_ keys)')
    .option('--junit <file>', 'write a JUnit XML report for CI')
    .option('--no-record', 'do not record the run in smoke_runs')
    .action(async (options: SmokeOptions) => {
      if (!options.url)
        throw new AppError('bad_request', '--url is required: the base URL of the instance to test');
      if (options.junit && json()) throw new AppError('bad_request', 'choose one of --json and --junit');
      const url = parseBaseUrl(options.url).toString();
      let progress: Progress | undefined;
      const report = await runSmoke({
        ctx: runtime.smoke.context(url),
        input: {
          url,
          full: options.full === true,
          account: runtime.smoke.account,
          purchase: options.full ? runtime.smoke.purchase() : undefined,
          onStep: (step, total) => {
            progress ??= startProgress(total, 'smoke', json());
            progress.tick(step.name);
          },
        },
      });
      progress?.stop();
      const recording: Recording = options.record
        ? await runtime.smoke.record(report)
        : { recorded: false, reason: '--no-record' };
      if (options.junit) writeSmokeJunit(report, options.junit);
      emit(json(), { ...report, recording }, () => reportLines(report, recording, options.junit));
      if (!report.ok) throw new CliExit(EXIT.checkFailed);
    });
}
