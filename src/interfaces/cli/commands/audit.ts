import type { Command } from 'commander';
import { auditRequests, type RequestsAudit } from '../../../services/security/audit-requests.ts';
import { AUDIT_LOG_LIMIT, listAuditLog } from '../../../services/security/list-audit-log.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { table } from '../table.ts';

type RequestsOptions = { since: string; user?: string; ip?: string };
type LogOptions = { since: string; actor?: string; action?: string };

const DETAILS_WIDTH = 80;

/** A section of a report: its title, then its table or "(none)". */
function section(title: string, head: string[], rows: (string | number | null)[][]): string[] {
  return ['', title, rows.length === 0 ? '(none)' : table(head, rows)];
}

function requestsReport(report: RequestsAudit): string[] {
  const scope = [report.user && `user ${report.user.email}`, report.ip && `address ${report.ip}`]
    .filter(Boolean)
    .join(', ');
  return [
    `request log since ${report.since.toISOString()}${scope ? ` (${scope})` : ''}`,
    ...section(
      'API usage by user (the runbook query: requests per user)',
      ['user id', 'email', 'requests', '4xx/5xx'],
      report.users.map((u) => [u.userId ?? '(signed out)', u.email, u.requests, u.errors]),
    ),
    ...section(
      '401/403 bursts per client address',
      ['address', 'refused', '401', '403', 'peak/min', 'users', 'first', 'last'],
      report.refusalsByIp.map((r) => [
        r.ip ?? '(unknown)',
        r.refused,
        r.unauthorized,
        r.forbidden,
        r.peakPerMinute,
        r.users,
        r.first.toISOString(),
        r.last.toISOString(),
      ]),
    ),
    ...section(
      'Top paths',
      ['method', 'path', 'requests', '4xx/5xx'],
      report.paths.map((p) => [p.method, p.path, p.requests, p.errors]),
    ),
  ];
}

function compact(details: unknown): string {
  const text = JSON.stringify(details ?? {});
  if (text === '{}') return '';
  return text.length > DETAILS_WIDTH ? `${text.slice(0, DETAILS_WIDTH - 1)}…` : text;
}

/** `polaris audit requests | log`: who did what, from request_logs and audit_log (DESIGN §9). */
export function registerAuditCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const audit = program.command('audit').description('security review: the request log and the audit log');

  audit
    .command('requests')
    .description('requests per user (the runbook query), 401/403 bursts per address, top paths')
    .option('--since <window>', 'how far back: 30m, 24h, 7d or an ISO date', '24h')
    .option('--user <user>', 'only this account, by email or user id')
    .option('--ip <address>', 'only this client address')
    .action((options: RequestsOptions) =>
      runtime.withContext(async (ctx) => {
        const report = await auditRequests({ ctx, input: options });
        emit(json(), { ok: true, ...report }, () => requestsReport(report));
      }),
    );

  audit
    .command('log')
    .description('flag changes, operator and admin actions, billing state changes, newest first')
    .option('--since <window>', 'how far back: 30m, 24h, 7d or an ISO date', '24h')
    .option('--actor <actor>', 'only this actor (cli:<user>, an admin email, admin-token, server, …)')
    .option('--action <action>', 'only this action (user.disable) or family (user)')
    .action((options: LogOptions) =>
      runtime.withContext(async (ctx) => {
        const listed = await listAuditLog({ ctx, input: options });
        emit(json(), { ok: true, ...listed }, () => [
          `audit log since ${listed.since.toISOString()}: ${listed.entries.length} entr${listed.entries.length === 1 ? 'y' : 'ies'}${listed.truncated ? ` (the newest ${AUDIT_LOG_LIMIT}; narrow with --since, --actor or --action)` : ''}`,
          ...(listed.entries.length === 0
            ? []
            : [
                table(
                  ['at', 'actor', 'action', 'target', 'reason', 'details'],
                  listed.entries.map((e) => [
                    e.at.toISOString(),
                    e.actor,
                    e.action,
                    e.target,
                    e.reason,
                    compact(e.details),
                  ]),
                ),
              ]),
        ]);
      }),
    );
}
