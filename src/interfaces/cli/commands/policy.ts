import type { Command } from 'commander';
import { SEVERITIES } from '../../../domain/incidents.ts';
import type { LoadedPolicy, Policy } from '../../../domain/policy.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { table } from '../table.ts';

const paged = (after: string) =>
  after === 'open' ? 'when opened' : after === 'never' ? 'not by time' : `after ${after} unresolved`;

/** The policy as tables: severities, the escalation ladder, the roster. */
export function policyLines({ policy, source }: LoadedPolicy): string[] {
  const p: Policy = policy;
  return [
    `incident policy from ${source}`,
    table(
      ['severity', 'respond within', 'status updates every'],
      SEVERITIES.map((s) => [s, p.responseTimes[s], p.statusUpdateCadence[s]]),
    ),
    table(
      ['level', 'role', 'paged', 'at once for'],
      p.escalation.map((e) => [e.level, e.role, paged(e.after), e.immediatelyFor.join(', ')]),
    ),
    p.roster.length === 0
      ? 'roster: empty (no names, channels or phone numbers configured)'
      : table(
          ['name', 'role', 'level', 'email', 'slack', 'phone'],
          p.roster.map((r) => [
            r.name,
            r.role,
            r.level,
            r.channels.email ?? '',
            r.channels.slack ?? '',
            r.channels.phone ?? '',
          ]),
        ),
  ];
}

/** `polaris policy show` and `polaris policy check` (issue 11 §2). */
export function registerPolicyCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const policy = program
    .command('policy')
    .description('the incident policy: response times, escalation, roster');
  policy
    .command('show')
    .description('print the policy in force (POLICY_FILE, or the built-in defaults)')
    .action(() => {
      const loaded = runtime.policy();
      emit(json(), loaded, () => policyLines(loaded));
    });
  policy
    .command('check')
    .description('validate the policy file; exit 2 naming the first bad field')
    .action(() => {
      const loaded = runtime.policy();
      emit(json(), { ok: true, source: loaded.source }, () => [`policy OK: ${loaded.source}`]);
    });
}
