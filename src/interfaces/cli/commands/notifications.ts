import type { Command } from 'commander';
import { DELIVERY_STATUSES, listNotifications } from '../../../services/notifications/list-notifications.ts';
import { retryNotification } from '../../../services/notifications/retry-notification.ts';
import { runNotificationJobs } from '../../../services/notifications/run-notification-jobs.ts';
import { cliActor } from '../actor.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { deliveriesTable, jobsLines, retryLines } from './notifications-text.ts';

/** `polaris notifications list|retry|deliver` (issue 11 §5): the outbox. */
export function registerNotificationsCommands(
  program: Command,
  runtime: CliRuntime,
  json: () => boolean,
): void {
  const notifications = program.command('notifications').description('the notification outbox');
  notifications
    .command('list')
    .description('deliveries, newest first')
    .option('--status <status>', DELIVERY_STATUSES.join(' | '))
    .option('--limit <n>', 'how many (1-500)', '50')
    .action((options: { status?: string; limit: string }) =>
      runtime.withContext(async (ctx) => {
        const deliveries = await listNotifications({
          ctx,
          input: { status: options.status, limit: options.limit },
        });
        emit(json(), { notifications: deliveries }, () => deliveriesTable(deliveries, options.status));
      }),
    );
  notifications
    .command('retry <id>')
    .description(
      'queue a failed or uncertain delivery again (uncertain ones need --yes: they may have gone out)',
    )
    .option('--yes', 'send an uncertain one again even though it may have gone out')
    .action((id: string, options: { yes?: boolean }) =>
      runtime.withContext(async (ctx) => {
        const { delivery, was } = await retryNotification({
          ctx,
          input: { id, actor: cliActor(), resendUncertain: options.yes === true },
        });
        emit(json(), { ok: true, notification: delivery, was }, () => retryLines(delivery, was));
      }),
    );
  notifications
    .command('deliver')
    .description(
      'run the notification jobs now: announce public updates, warn affected users, deliver what is due',
    )
    .action(() =>
      runtime.withContext(async (ctx) => {
        const report = await runNotificationJobs({ ctx });
        emit(json(), { ok: true, ...report }, () => jobsLines(report));
      }),
    );
}
