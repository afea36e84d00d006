import type { Command } from 'commander';
import { AppError } from '../../../domain/errors.ts';
import { incidentReportMarkdown } from '../../../domain/incident-report-markdown.ts';
import { writeIncidentReport } from '../../../services/reports/write-incident-report.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';

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
