import { AppError } from '../../domain/errors.ts';
import { parseSince } from '../../domain/since.ts';
import type { ServiceContext } from '../context.ts';
import { findUser } from '../users/find-user.ts';

/** The most rows each section of the report lists. */
export const AUDIT_REQUESTS_LIMIT = 20;

const IP = /^[0-9A-Fa-f:.]{2,45}$/;

/**
 * `polaris audit requests`: the runbook's "API usage by user" query (requests per user in the
 * window), 401/403 bursts per client address, and the busiest paths; optionally for one user or
 * one address. An unknown user is 'not_found'; a malformed window or address is 'bad_request'.
 */
export async function auditRequests({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { since: string; user?: string | undefined; ip?: string | undefined };
}) {
  const since = parseSince(input.since, ctx.now());
  if (input.ip !== undefined && !IP.test(input.ip.trim())) {
    throw new AppError('bad_request', `--ip ${JSON.stringify(input.ip)}: expected an IPv4 or IPv6 address`);
  }
  const profile = input.user === undefined ? undefined : await findUser({ ctx, input: { user: input.user } });
  const filter = { since, userId: profile?.userId, ip: input.ip?.trim() };
  const repo = ctx.repos.requestLogs;
  const [users, refusals, paths] = await Promise.all([
    repo.requestsByUser(filter, AUDIT_REQUESTS_LIMIT),
    repo.refusalsByIp(filter, AUDIT_REQUESTS_LIMIT),
    repo.topPaths(filter, AUDIT_REQUESTS_LIMIT),
  ]);
  return {
    since,
    user: profile ? { userId: profile.userId, email: profile.email } : null,
    ip: filter.ip ?? null,
    users: users.map((r) => ({
      userId: r.userId,
      email: r.email,
      requests: Number(r.requests),
      errors: Number(r.errors),
    })),
    refusalsByIp: refusals.map((r) => ({
      ip: r.ip,
      refused: Number(r.refused),
      unauthorized: Number(r.unauthorized),
      forbidden: Number(r.forbidden),
      users: Number(r.users),
      peakPerMinute: r.peakPerMinute,
      first: new Date(r.first as Date),
      last: new Date(r.last as Date),
    })),
    paths: paths.map((r) => ({
      method: r.method,
      path: r.path,
      requests: Number(r.requests),
      errors: Number(r.errors),
    })),
  };
}

/** What `auditRequests` reports. */
export type RequestsAudit = Awaited<ReturnType<typeof auditRequests>>;
