import Table from 'cli-table3';
import type { Command } from 'commander';
import { parseSince } from '../../../domain/since.ts';
import { getSecretsStatus, type SecretsStatus } from '../../../services/secrets/get-secrets-status.ts';
import {
  rotateWebhookSecret,
  type WebhookRotation,
} from '../../../services/secrets/rotate-webhook-secret.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';

const when = (d: Date | null) => (d ? d.toISOString() : '—');

function statusLines(status: SecretsStatus): string[] {
  const table = new Table({
    head: ['secret', 'fingerprint', `events since ${status.since.toISOString()}`, 'first used', 'last used'],
    style: { head: [], border: [] },
  });
  for (const s of status.secrets) {
    table.push([s.role, s.fingerprint, s.recentEvents, when(s.firstUsedAt), when(s.lastUsedAt)]);
  }
  return [
    table.toString(),
    `other events in the window (a retired secret, or stored before fingerprints): ${status.otherRecentEvents}`,
    `rotation: ${status.rotation.message}`,
  ];
}

function rotationLines(r: WebhookRotation): string[] {
  if (!r.applied) {
    return [
      `Polaris cannot rotate this secret itself: ${r.reason}.`,
      `Current secret: fingerprint ${r.current}; previous: ${r.previous ? `fingerprint ${r.previous}` : 'none'}.`,
      ...(r.previous
        ? [
            'A previous secret is still configured: finish that rotation first (see npx polaris secrets status).',
          ]
        : []),
      'Steps:',
      ...r.steps.map((s) => `  ${s}`),
    ];
  }
  const n = r.endpoints.length;
  return [
    'rotated the webhook secret',
    `  current:  fingerprint ${r.current} (new; ${n} emulator endpoint${n === 1 ? ' signs' : 's sign'} with it)`,
    `  previous: fingerprint ${r.previous} (still accepted during the overlap)`,
    ...(r.dropped ? [`  dropped:  fingerprint ${r.dropped} (no longer accepted)`] : []),
    `  stored in ${r.location}; a running server reads it on its next webhook, no restart needed`,
  ];
}

/** `polaris secrets rotate-webhook | status` (DESIGN §9: rotate secrets with an overlap window). */
export function registerSecretsCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const secrets = program.command('secrets').description('webhook secret rotation');

  secrets
    .command('rotate-webhook')
    .description(
      'development: new webhook secret, the old one kept as previous, the emulator updated; production: the exact steps',
    )
    .action(async () => {
      const { ctx, input } = runtime.secrets.rotation();
      const rotation = await rotateWebhookSecret({ ctx, input });
      emit(json(), { ok: true, ...rotation }, () => rotationLines(rotation));
    });

  secrets
    .command('status')
    .description('how many recent events each configured webhook secret verified, and since when')
    .option('--since <duration>', 'the window of recent events (30m, 24h, 7d) or a past ISO date', '24h')
    .action((options: { since: string }) => {
      // Read before connecting, so a bad window exits 2 without touching the database.
      parseSince(options.since, new Date());
      return runtime.withContext(async (ctx) => {
        const since = parseSince(options.since, ctx.now());
        const status = await getSecretsStatus({
          ctx,
          input: { secrets: ctx.settings.webhookSecrets, since },
        });
        emit(json(), { ok: true, ...status }, () => statusLines(status));
      });
    });
}
