import type { NewDelivery } from '../../adapters/db/notifications-repo.ts';
import type { Repos } from '../../adapters/db/repos.ts';
import { AppError } from '../../domain/errors.ts';
import { renderTemplate, type TemplateVars } from '../../domain/notification-templates.ts';
import type { NotificationRequest } from '../../domain/notifications.ts';
import type { ServiceContext } from '../context.ts';

type Recipient = Pick<NewDelivery, 'channel' | 'recipient'> & { extra?: TemplateVars };

/** The link that ends a subscription in one click. */
export const unsubscribeUrl = (ctx: ServiceContext, token: string) =>
  `${ctx.settings.publicBaseUrl}/status/unsubscribe?token=${token}`;

// The internal page names the level's role and response time when the caller did not.
function rosterVars(ctx: ServiceContext, level: number, vars: TemplateVars): TemplateVars {
  const step = ctx.policy.escalation[level - 1];
  const severity = String(vars.severity ?? '');
  const responseTime =
    severity in ctx.policy.responseTimes
      ? ctx.policy.responseTimes[severity as keyof typeof ctx.policy.responseTimes]
      : undefined;
  return { level, role: step?.role, responseTime, ...vars };
}

function rosterRecipients(ctx: ServiceContext, level: number): Recipient[] {
  if (level > ctx.policy.escalation.length) {
    throw new AppError(
      'bad_request',
      `audience.level: no escalation level ${level} (the ladder has ${ctx.policy.escalation.length})`,
    );
  }
  const { channels, alertAddress } = ctx.notifications;
  const members = ctx.policy.roster.filter((m) => m.level === level);
  const out: Recipient[] = [];
  for (const member of members) {
    if (member.channels.email) out.push({ channel: 'email', recipient: member.channels.email.toLowerCase() });
    if (member.channels.slack && channels.slack)
      out.push({ channel: 'slack', recipient: member.channels.slack });
  }
  // Nobody with an address at this level: ALERT_EMAIL, and the log, so a page is never silently lost.
  if (out.length === 0) {
    if (alertAddress) out.push({ channel: 'email', recipient: alertAddress });
    out.push({ channel: 'console', recipient: `roster level ${level}` });
  }
  if (channels.webhook) out.push({ channel: 'webhook', recipient: 'webhook' });
  return out;
}

async function affectedRecipients(ctx: ServiceContext, repos: Repos, incidentId: string) {
  const incident = await repos.incidents.find(incidentId);
  if (!incident) throw new AppError('not_found', `audience.incidentId: no incident ${incidentId}`);
  const emails = await repos.notifications.affectedUserEmails(
    incident.startedAt,
    incident.resolvedAt ?? ctx.now(),
  );
  return emails.map((email): Recipient => ({ channel: 'email', recipient: email }));
}

async function recipientsOf(ctx: ServiceContext, repos: Repos, request: NotificationRequest) {
  const audience = request.audience;
  switch (audience.kind) {
    case 'roster':
      return rosterRecipients(ctx, audience.level);
    case 'affected-users':
      return affectedRecipients(ctx, repos, audience.incidentId);
    case 'status-subscribers':
      return (await repos.statusSubscriptions.listConfirmed()).map(
        (s): Recipient => ({
          channel: 'email',
          recipient: s.email,
          extra: { unsubscribeUrl: unsubscribeUrl(ctx, s.unsubscribeToken) },
        }),
      );
    case 'email':
      return [{ channel: 'email', recipient: audience.address.trim().toLowerCase() } satisfies Recipient];
  }
}

/** Each recipient of a request with its own rendered copy (a subscriber's carries its unsubscribe link). */
export async function renderDeliveries(
  ctx: ServiceContext,
  repos: Repos,
  request: NotificationRequest,
): Promise<NewDelivery[]> {
  const recipients = await recipientsOf(ctx, repos, request);
  const base =
    request.audience.kind === 'roster' ? rosterVars(ctx, request.audience.level, request.vars) : request.vars;
  const site = {
    statusUrl: `${ctx.settings.publicBaseUrl}/status`,
    supportAddress: ctx.notifications.supportAddress,
  };
  return recipients.map((r) => {
    const message = renderTemplate(request.template, { ...base, ...r.extra }, site);
    const link = r.extra?.unsubscribeUrl;
    return {
      channel: r.channel,
      recipient: r.recipient,
      subject: message.subject,
      body: message.text,
      unsubscribeUrl: typeof link === 'string' ? link : null,
    };
  });
}
