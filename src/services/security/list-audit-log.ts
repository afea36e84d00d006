import { AppError } from '../../domain/errors.ts';
import { parseSince } from '../../domain/since.ts';
import type { ServiceContext } from '../context.ts';

/** The most audit rows one listing returns. */
export const AUDIT_LOG_LIMIT = 200;

const ACTION = /^[a-z_]+(\.[a-z_]+)*$/;

/**
 * `polaris audit log`: operator and admin actions, flag changes and billing state changes from
 * audit_log in the window, newest first, optionally for one actor and one action (or family).
 */
export async function listAuditLog({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    since: string;
    actor?: string | undefined;
    action?: string | undefined;
    /** The next page: rows older than the audit row with this id. */
    before?: number | undefined;
    /** Rows per listing, at most AUDIT_LOG_LIMIT (the default). */
    limit?: number | undefined;
  };
}) {
  const since = parseSince(input.since, ctx.now());
  const action = input.action?.trim();
  if (action !== undefined && !ACTION.test(action)) {
    throw new AppError(
      'bad_request',
      `--action ${JSON.stringify(input.action)}: expected an action like user.disable, or a family like user`,
    );
  }
  const actor = input.actor?.trim();
  if (actor !== undefined && (actor === '' || actor.length > 320)) {
    throw new AppError('bad_request', '--actor: expected an actor like cli:alice or admin@example.com');
  }
  const limit = Math.min(input.limit ?? AUDIT_LOG_LIMIT, AUDIT_LOG_LIMIT);
  const rows = await ctx.repos.audit.list({ since, actor, action, before: input.before }, limit + 1);
  return {
    since,
    truncated: rows.length > limit,
    entries: rows.slice(0, limit).map((r) => ({
      id: Number(r.id),
      at: new Date(r.at as Date),
      actor: r.actor,
      action: r.action,
      target: r.target,
      reason: r.reason,
      details: r.details,
    })),
  };
}
