import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { DURATION_HINT, FLAG_LABELS, FLAG_NAMES, parseDuration } from '../../domain/flags.ts';
import { readAdminOverview } from '../../services/admin/read-admin-overview.ts';
import type { ServiceContext } from '../../services/context.ts';
import { emergencyShutdown } from '../../services/flags/emergency-shutdown.ts';
import { getFlags } from '../../services/flags/get-flags.ts';
import { liftEmergency } from '../../services/flags/lift-emergency.ts';
import { setFlag } from '../../services/flags/set-flag.ts';
import { listWebhookEvents } from '../../services/webhooks/list-webhook-events.ts';
import { retryWebhookEvents } from '../../services/webhooks/retry-webhook-events.ts';
import { showWebhookEvent } from '../../services/webhooks/show-webhook-event.ts';
import type { RouteModule } from '../http/app.ts';
import { route } from '../http/routing.ts';
import { requireAdmin } from '../http/session.ts';
import { AdminFlagsPage, EMERGENCY_WORDS } from './admin-flags-page.tsx';
import { AdminOverviewPage } from './admin-overview-page.tsx';
import { AdminWebhookEventPage, AdminWebhooksPage } from './admin-webhooks-page.tsx';
import { doneNotice, readForm, seeOther } from './form.ts';

const text = z.string().optional();
const FlagForm = z.object({ state: z.string(), reason: text, message: text, expires: text, confirm: text });
const EmergencyForm = z.object({ reason: text, message: text, confirm: text });
const RetryForm = z.object({ ids: z.union([z.string(), z.array(z.string())]).optional(), reason: text });

const blankToUndefined = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

const FLAG_DONE: Record<string, string> = {
  shutdown: 'Emergency shutdown: payments off, maintenance and read-only on, a critical incident open.',
  lift: 'Emergency lifted: every mode is back to normal. Resolve the incident once service is confirmed.',
  ...Object.fromEntries(
    FLAG_NAMES.flatMap((name) =>
      (['on', 'off'] as const).map((state) => [`${name}-${state}`, `${FLAG_LABELS[name]} is now ${state}.`]),
    ),
  ),
};
const WEBHOOK_DONE = {
  retried: 'Retried the selected events oldest first; each is processed.',
  'retried-not-all':
    'Retried the selected events oldest first; some did not end processed (see their status).',
};

function expectWord(confirm: string | undefined, word: string) {
  if (confirm?.trim() !== word) throw new AppError('bad_request', `confirm: type ${word} to confirm`);
}

/** /admin overview, /admin/webhooks and /admin/flags (admins only), through the CLI's own services. */
export function adminOpsPages(ctx: ServiceContext): RouteModule {
  return (app) => {
    route(app, '/admin', {
      GET: async (c) => {
        const caller = requireAdmin(c);
        return c.html(<AdminOverviewPage caller={caller} view={await readAdminOverview({ ctx })} />);
      },
    });

    route(app, '/admin/flags', {
      GET: async (c) => {
        const caller = requireAdmin(c);
        const flags = await getFlags({ ctx });
        return c.html(<AdminFlagsPage caller={caller} flags={flags} notice={doneNotice(c, FLAG_DONE)} />);
      },
    });
    route(app, '/admin/flags/:name', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const form = await readForm(c, FlagForm);
        if (form.confirm !== 'yes')
          throw new AppError('bad_request', 'confirm: tick the box to confirm the change');
        const expires = blankToUndefined(form.expires);
        if (expires !== undefined && parseDuration(expires) === undefined) {
          throw new AppError('bad_request', `expires: cannot read '${expires}'; ${DURATION_HINT}`);
        }
        const done = await setFlag({
          ctx,
          input: {
            name: c.req.param('name') ?? '',
            state: form.state,
            reason: form.reason,
            message: form.message,
            for: expires,
            actor: caller.email,
          },
        });
        return seeOther(c, '/admin/flags', `${done.flag.name}-${done.flag.state}`);
      },
    });
    route(app, '/admin/flags/emergency/shutdown', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const form = await readForm(c, EmergencyForm);
        expectWord(form.confirm, EMERGENCY_WORDS.shutdown);
        const input = { reason: form.reason, message: form.message, actor: caller.email };
        await emergencyShutdown({ ctx, input });
        return seeOther(c, '/admin/flags', 'shutdown');
      },
    });
    route(app, '/admin/flags/emergency/lift', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const form = await readForm(c, EmergencyForm);
        expectWord(form.confirm, EMERGENCY_WORDS.lift);
        await liftEmergency({ ctx, input: { reason: form.reason, actor: caller.email } });
        return seeOther(c, '/admin/flags', 'lift');
      },
    });

    route(app, '/admin/webhooks', {
      GET: async (c) => {
        const caller = requireAdmin(c);
        const filter = {
          status: c.req.query('status') ?? '',
          type: c.req.query('type') ?? '',
          since: c.req.query('since') ?? '',
        };
        const list = await listWebhookEvents({
          ctx,
          input: {
            status: blankToUndefined(filter.status),
            type: blankToUndefined(filter.type),
            since: blankToUndefined(filter.since),
            limit: '100',
          },
        });
        const flags = await getFlags({ ctx });
        const notice = doneNotice(c, WEBHOOK_DONE);
        return c.html(
          <AdminWebhooksPage caller={caller} flags={flags} filter={filter} list={list} notice={notice} />,
        );
      },
    });
    route(app, '/admin/webhooks/retry', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const form = await readForm(c, RetryForm);
        const ids = typeof form.ids === 'string' ? [form.ids] : (form.ids ?? []);
        if (ids.length === 0) throw new AppError('bad_request', 'ids: select at least one event to retry');
        const done = await retryWebhookEvents({
          ctx,
          input: { eventIds: ids, reason: form.reason, actor: caller.email, confirmed: true },
        });
        const ok = done.confirmed && done.ok;
        return seeOther(c, '/admin/webhooks', ok ? 'retried' : 'retried-not-all');
      },
    });
    route(app, '/admin/webhooks/:eventId', {
      GET: async (c) => {
        const caller = requireAdmin(c);
        const event = await showWebhookEvent({ ctx, input: { eventId: c.req.param('eventId') ?? '' } });
        return c.html(
          <AdminWebhookEventPage caller={caller} flags={await getFlags({ ctx })} event={event} />,
        );
      },
    });
  };
}
