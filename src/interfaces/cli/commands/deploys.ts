import type { Command } from 'commander';
import { AppError } from '../../../domain/errors.ts';
import { listDeployments } from '../../../services/deploys/list-deployments.ts';
import { planCodeRollback } from '../../../services/deploys/plan-code-rollback.ts';
import { CliExit, EXIT, emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { deploymentTable, rollbackPlanLines } from './deploys-text.ts';

function limitOf(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new AppError('bad_request', '--limit must be 1 to 1000');
  return n;
}

/** `polaris deploys` (the ledger) and `polaris rollback plan --to <commit|version>`. */
export function registerDeploysCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  program
    .command('deploys')
    .description('the deployment ledger: each server start with its version, commit and schema, newest first')
    .option('--limit <n>', 'how many', '20')
    .action((options: { limit: string }) => {
      const limit = limitOf(options.limit);
      return runtime.withContext(async (ctx) => {
        const deployments = await listDeployments({ ctx, input: { limit } });
        emit(json(), { ok: true, deployments }, () => deploymentTable(deployments));
      });
    });

  program
    .command('rollback')
    .description('plan a rollback of the code')
    .command('plan')
    .description('can the code alone go back to --to? exit 0 yes, 1 no (then it prints the full rollback)')
    .requiredOption('--to <target>', 'a recorded commit (or its prefix) or version')
    .action((options: { to: string }) =>
      runtime.withContext(async (ctx) => {
        const plan = await planCodeRollback({ ctx, input: { to: options.to } });
        if (!plan.ok) throw plan.error;
        emit(json(), { ok: true, ...plan.value }, () => rollbackPlanLines(plan.value));
        if (!plan.value.codeOnly) throw new CliExit(EXIT.checkFailed);
      }),
    );
}
