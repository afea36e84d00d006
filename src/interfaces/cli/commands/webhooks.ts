import type { Command } from 'commander';
import { getWebhookStats } from '../../../services/webhooks/get-webhook-stats.ts';
import { listWebhookEvents } from '../../../services/webhooks/list-webhook-events.ts';
import { retryWebhookEvents } from '../../../services/webhooks/retry-webhook-events.ts';
import { showWebhookEvent } from '../../../services/webhooks/show-webhook-event.ts';
import { cliActor } from '../actor.ts';
import { refuseUnconfirmed } from '../confirm.ts';
import { CliExit, EXIT, emit } from '../output.ts';
import { startProgress } from '../progress.ts';
import type { CliRuntime } from '../runtime.ts';
import { listLines, previewLines, retryLines, showLines, statsLines } from './webhooks-text.ts';

type ListOptions = { status?: string; type?: string; since?: string; limit?: string };
type RetryOptions = { failed?: boolean; since?: string; reason?: string; yes?: boolean };

/** `polaris webhooks list | show | stats | retry`: the webhook inbox for operators (DESIGN §9). */
export function registerWebhooksCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const webhooks = program
    .command('webhooks')
    .description('the webhook inbox: list, show, stats, and retry through the one processor');

  webhooks
    .command('list')
    .description('stored events, newest first')
    .option('--status <status>', 'pending, processing, processed, failed or skipped (comma-separated)')
    .option('--type <type>', 'an event type (payment.captured) or a family (subscription)')
    .option('--since <window>', 'received in the window: 30m, 24h, 7d or an ISO date')
    .option('--limit <n>', 'at most this many rows (1–1000)', '50')
    .action((options: ListOptions) =>
      runtime.withContext(async (ctx) => {
        const list = await listWebhookEvents({ ctx, input: options });
        emit(json(), { ok: true, ...list }, () => listLines(list));
      }),
    );

  webhooks
    .command('show <event_id>')
    .description('one event: the raw payload, attempts, last error, timestamps and operator retries')
    .action((eventId: string) =>
      runtime.withContext(async (ctx) => {
        const event = await showWebhookEvent({ ctx, input: { eventId } });
        emit(json(), { ok: true, ...event }, () => showLines(event));
      }),
    );

  webhooks
    .command('stats')
    .description('counts by type and status, failure rate, processing lag p50/p99, oldest pending')
    .option('--since <window>', 'received in the window: 30m, 24h, 7d or an ISO date', '24h')
    .action((options: { since: string }) =>
      runtime.withContext(async (ctx) => {
        const stats = await getWebhookStats({ ctx, input: options });
        emit(json(), { ok: true, ...stats }, () => statsLines(stats));
      }),
    );

  webhooks
    .command('retry [event_id...]')
    .description(
      'replay events through the inbox processor, oldest first; processed ones are left alone (exit 1 unless all end processed)',
    )
    .option('--failed', 'every failed event (asks for --yes)')
    .option('--since <window>', 'with --failed: received in the window (30m, 24h, 7d or an ISO date)')
    .option('--reason <text>', 'why (goes to the audit log)')
    .option('--yes', 'confirm --failed')
    .action((eventIds: string[], options: RetryOptions) =>
      runtime.withContext(async (ctx) => {
        const actor = cliActor();
        const done = await retryWebhookEvents({
          ctx,
          input: {
            eventIds,
            failed: options.failed,
            since: options.since,
            reason: options.reason,
            actor,
            confirmed: options.yes === true,
            progress: (total) => startProgress(total, 'retrying', json()),
          },
        });
        if (!done.confirmed) {
          refuseUnconfirmed(
            json(),
            done,
            previewLines(done.targets),
            `retrying applies ${done.targets.length} events to subscriptions and payments`,
          );
        }
        emit(json(), done, () => retryLines(done, actor));
        if (!done.ok) throw new CliExit(EXIT.checkFailed);
      }),
    );
}
