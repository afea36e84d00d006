import type { Command } from 'commander';
import { type Check, checkFailed } from '../../../domain/verify-checks.ts';
import { repairDatabase } from '../../../services/verify/repair-database.ts';
import { verifyDatabase } from '../../../services/verify/verify-database.ts';
import { cliActor } from '../actor.ts';
import { CliExit, EXIT, emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { table } from '../table.ts';

/** `polaris db verify [--fix]`: exit 0 clean, 1 when a check of severity error fails. */
export function registerDbVerifyCommand(db: Command, runtime: CliRuntime, json: () => boolean): void {
  db.command('verify')
    .description(
      'check the data for real in a read-only transaction; exit 1 when a check of severity error fails',
    )
    .option('--fix', 'make the safe repairs (tiers, stuck events, usage counters), each audited')
    .action((options: { fix?: boolean }) =>
      runtime.withContext(async (ctx) => {
        if (options.fix) {
          const report = await repairDatabase({ ctx, input: { actor: cliActor() } });
          const { tiers, events, counters } = report.repaired;
          emit(json(), report, () => [
            `repaired: ${tiers} tiers re-derived, ${events} stuck events released, ${counters} usage counters recounted (audited as ${cliActor()})`,
            ...reportLines(report.checks),
          ]);
          if (!report.ok) throw new CliExit(EXIT.checkFailed);
          return;
        }
        const report = await verifyDatabase({ ctx, input: { actor: cliActor() } });
        emit(json(), report, () => reportLines(report.checks));
        if (!report.ok) throw new CliExit(EXIT.checkFailed);
      }),
    );
}

/** The checks as a table, then one line: clean, or what failed. */
export function reportLines(checks: Check[]): string[] {
  const rows = checks.map((c) => [
    !checkFailed(c) ? '✓' : c.severity === 'error' ? '✗' : '!',
    c.title,
    c.severity,
    c.skipped ? 'skipped' : c.count,
    c.skipped ?? c.sampleIds.join('\n'),
    checkFailed(c) ? c.hint : '',
  ]);
  const errors = checks.filter((c) => c.severity === 'error' && checkFailed(c)).length;
  const warnings = checks.filter((c) => c.severity === 'warning' && checkFailed(c)).length;
  const tail = warnings > 0 ? ` (${warnings} ${warnings === 1 ? 'warning' : 'warnings'})` : '';
  return [
    table(['', 'check', 'severity', 'count', 'sample ids', 'fix'], rows),
    errors === 0
      ? `db verify: clean${tail}`
      : `db verify: ${errors} ${errors === 1 ? 'check' : 'checks'} of severity error failed${tail}`,
  ];
}
