import type { Command } from 'commander';
import { syncPlans } from '../../../services/plans/sync-plans.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';

const rupees = (paise: number) => `₹${(paise / 100).toLocaleString('en-IN')}`;

/** `polaris plans sync`. */
export function registerPlansCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const plans = program.command('plans').description('Razorpay plans behind the catalog');

  plans
    .command('sync')
    .description(
      'create the Razorpay plans that are missing (found by notes, never duplicated); store their ids',
    )
    .action(() =>
      runtime.withContext(async (ctx) => {
        const result = await syncPlans({ ctx });
        if (!result.ok) throw result.error;
        const { plans: synced } = result.value;
        const created = synced.filter((p) => p.action === 'created').length;
        const found = synced.filter((p) => p.action === 'found').length;
        emit(json(), { ok: true, created, found, plans: synced }, () => [
          ...synced.map(
            (p) =>
              `${p.action.padEnd(9)} ${p.tier.padEnd(10)} ${p.cycle.padEnd(7)} ${rupees(p.amount).padStart(10)}  ${p.razorpayPlanId}`,
          ),
          `${synced.length} plans: ${created} created, ${found} found by notes, ${synced.length - created - found} unchanged`,
        ]);
      }),
    );
}
