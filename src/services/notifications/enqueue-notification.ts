import type { Repos } from '../../adapters/db/repos.ts';
import { AppError } from '../../domain/errors.ts';
import { incidentLabel } from '../../domain/incidents.ts';
import {
  NOTIFICATION_TEMPLATES,
  type NotificationRequest,
  type NotificationTemplate,
} from '../../domain/notifications.ts';
import type { ServiceContext } from '../context.ts';
import { renderDeliveries } from './audience.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkRequest(request: NotificationRequest): void {
  if (!request.key || request.key.length > 300) throw new AppError('bad_request', 'key: 1 to 300 characters');
  if (!(NOTIFICATION_TEMPLATES as readonly string[]).includes(request.template as NotificationTemplate)) {
    throw new AppError(
      'bad_request',
      `template: '${request.template}' is not one of ${NOTIFICATION_TEMPLATES.join(', ')}`,
    );
  }
  const audience = request.audience;
  if (audience.kind === 'roster' && (!Number.isInteger(audience.level) || audience.level < 1)) {
    throw new AppError('bad_request', `audience.level: '${audience.level}' is not a level (1, 2, ...)`);
  }
  if (audience.kind === 'email' && !EMAIL.test(audience.address.trim())) {
    throw new AppError('bad_request', `audience.address: '${audience.address}' is not an email address`);
  }
}

/**
 * Queues a request inside the caller's transaction. The key is stored once; each channel and
 * recipient gets at most one delivery per key, so queuing the key again reaches only recipients
 * it has not reached yet (a user affected since) and never anyone twice.
 */
export async function queueNotification(
  ctx: ServiceContext,
  repos: Repos,
  request: NotificationRequest,
): Promise<{ queued: number }> {
  checkRequest(request);
  if (request.incidentId !== undefined && !(await repos.incidents.find(request.incidentId))) {
    throw new AppError('not_found', `incidentId: no incident ${request.incidentId}`);
  }
  const at = ctx.now();
  const isNew = await repos.notifications.insertRequest(request, at);
  const deliveries = await renderDeliveries(ctx, repos, request);
  const queued = await repos.notifications.insertDeliveries(request.key, deliveries, at);
  if (request.incidentId !== undefined && queued > 0) {
    await repos.incidents.addEntry(request.incidentId, {
      at,
      kind: 'notification',
      message: `${request.template} queued for ${describeAudience(request)}: ${queued} ${queued === 1 ? 'delivery' : 'deliveries'}${isNew ? '' : ' (newly reached)'}`,
      actor: 'polaris:notifications',
    });
  }
  return { queued };
}

function describeAudience(request: NotificationRequest): string {
  const a = request.audience;
  if (a.kind === 'roster') return `roster level ${a.level}`;
  if (a.kind === 'affected-users') return `users affected by ${incidentLabel(a.incidentId)}`;
  if (a.kind === 'status-subscribers') return 'status subscribers';
  return 'one address';
}

/** The outbox's `Notify`: queues one request (exactly once by its key) in its own transaction. */
export async function enqueueNotification({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: NotificationRequest;
}): Promise<{ queued: number }> {
  return ctx.transaction((repos) => queueNotification(ctx, repos, input));
}
