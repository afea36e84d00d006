import junitModule, { type Builder } from 'junit-report-builder';
import type { SmokeReport } from '../../../services/smoke/smoke-report.ts';

// The package is CommonJS whose module.exports is the builder; its types describe an ES default export.
const junit = junitModule as unknown as Builder;

/** Writes a run as JUnit XML for CI (one test case per step, its time in seconds); returns the XML. */
export function writeSmokeJunit(report: SmokeReport, path: string): string {
  const builder = junit.newBuilder();
  const suite = builder
    .testSuite()
    .name(`polaris smoke ${report.url}`)
    .timestamp(report.startedAt)
    .time(report.durationMs / 1000)
    .property('url', report.url)
    .property('full', String(report.full));
  for (const step of report.steps) {
    const testCase = suite
      .testCase()
      .className('polaris.smoke')
      .name(step.name)
      .time(step.durationMs / 1000);
    if (step.status === 'fail') testCase.failure(step.detail, 'SmokeStepFailed');
    else if (step.status === 'skip') testCase.skipped().standardOutput(step.detail);
    else testCase.standardOutput(step.detail);
  }
  builder.writeTo(path);
  return builder.build();
}
