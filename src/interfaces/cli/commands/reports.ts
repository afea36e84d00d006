import type { Command } from 'commander';
import { AppError } from '../../../domain/errors.ts';
import { incidentReportMarkdown } from '../../../domain/incident-report-markdown.ts';
import { recordGameDay } from '../../../services/game-day/record-game-day.ts';
import { runGameDay } from '../../../services/game-day/run-game-day.ts';
import { reviewMonth } from '../../../services/reports/review-month.ts';
import { writeIncidentReport } from '../../../services/reports/write-incident-report.ts';
import { cliActor } from '../actor.ts';
import { CliExit, EXIT, emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { gameDayStepLine, gameDaySummary, reviewLines } from './reports-text.ts';

const FORMATS = ['md', 'json'] as const;

/** `--format md|json`; the global --json wins. */
export function reportFormat(raw: string | undefined, json: boolean): 'md' | 'json' {
  if (json) return 'json';
  const format = (raw ?? 'md').trim().toLowerCase();
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new AppError('bad_request', `format: '${raw}' is not one of ${FORMATS.join(', ')}`);
  }
  return format as 'md' | 'json';
}

/** `polaris incident report <id> [--format md|json]` (issue 11 §8), under the `incident` command. */
export function registerIncidentReportCommand(incident: Command, runtime: CliRuntime, json: () => boolean) {
  incident
    .command('report <id>')
    .description("the runbook's incident report, filled from the record (times, impact, notes by tag)")
    .option('--format <format>', 'md (default) | json')
    .action((id: string, options: { format?: string }) => {
      const format = reportFormat(options.format, json());
      return runtime.withContext(async (ctx) => {
        const report = await writeIncidentReport({ ctx, input: { id } });
        emit(format === 'json', report, () => [incidentReportMarkdown(report)]);
      });
    });
}

/** `polaris review monthly` (issue 11 §8); exit 1 when db verify fails or no restore was tested this month. */
export function registerReviewCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const review = program.command('review').description("the runbook's periodic reviews");
  review
    .command('monthly')
    .description("the runbook's monthly review: incidents with TTA/TTR, drills, db verify, rollback test")
    .option('--month <YYYY-MM>', 'the month to review (default: the current one)')
    .action((options: { month?: string }) =>
      runtime.withContext(async (ctx) => {
        const result = await reviewMonth({ ctx, input: { month: options.month } });
        emit(json(), result, () => reviewLines(result));
        if (!result.ok) throw new CliExit(EXIT.checkFailed);
      }),
    );
}

/**
 * `polaris drill incident` (issue 11 §9): the quarterly game day on a scratch database and an
 * in-process emulator; a line per step, the report, exit 1 when any step failed.
 */
export function registerDrillCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const drill = program.command('drill').description("the runbook's drills");
  drill
    .command('incident')
    .description('game day: charge failures to resolution and report, on scratch data and a fake clock')
    .action(() =>
      runtime.withContext(async (live) => {
        const gameDay = runtime.gameDay;
        if (!gameDay) throw new AppError('unavailable', 'the game day is not wired into this build');
        const begun = performance.now();
        const world = await gameDay.open(live);
        let outcome: Awaited<ReturnType<typeof runGameDay>>;
        try {
          const onStep = json()
            ? undefined
            : (step: Parameters<typeof gameDayStepLine>[0]) => {
                process.stdout.write(`${gameDayStepLine(step)}\n`);
              };
          outcome = await runGameDay({
            ctx: world.ctx,
            input: { lab: world.lab, seams: gameDay.seams, ...(onStep ? { onStep } : {}) },
          });
        } finally {
          await world.close();
        }
        await recordGameDay({ ctx: live, input: { outcome, actor: cliActor() } });
        const realMs = performance.now() - begun;
        emit(json(), { ...outcome, realMs: Math.round(realMs) }, () => [
          ...(outcome.report ? ['', incidentReportMarkdown(outcome.report)] : []),
          ...gameDaySummary(outcome, realMs),
        ]);
        if (!outcome.ok) throw new CliExit(EXIT.checkFailed);
      }),
    );
}
