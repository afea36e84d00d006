import { z } from 'zod';
import type { ServiceContext } from '../../services/context.ts';
import { getFlags } from '../../services/flags/get-flags.ts';
import { listAuditLog } from '../../services/security/list-audit-log.ts';
import type { RouteModule } from '../http/app.ts';
import { route } from '../http/routing.ts';
import { requireAdmin } from '../http/session.ts';
import { queryOf } from '../http/validate.ts';
import { AdminAuditPage } from './admin-audit-page.tsx';

const PAGE_SIZE = 50;
// Empty fields of a submitted filter form mean "any"; the service checks the values.
const blank = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));
const AuditQuery = z.object({
  actor: blank,
  action: blank,
  since: blank,
  before: z.coerce.number().int().positive().optional(),
});

/** /admin/audit: the service of `polaris audit log`, PAGE_SIZE rows a page, older pages by cursor. */
export function adminAuditWeb(ctx: ServiceContext): RouteModule {
  return (app) => {
    route(app, '/admin/audit', {
      GET: async (c) => {
        const caller = requireAdmin(c);
        const query = queryOf(c, AuditQuery);
        const since = query.since ?? '7d';
        const listed = await listAuditLog({ ctx, input: { ...query, since, limit: PAGE_SIZE } });
        const last = listed.entries.at(-1);
        let next: string | null = null;
        if (listed.truncated && last) {
          const params = new URLSearchParams({ since, before: String(last.id) });
          if (query.actor) params.set('actor', query.actor);
          if (query.action) params.set('action', query.action);
          next = `/admin/audit?${params}`;
        }
        const filter = { actor: query.actor ?? '', action: query.action ?? '', since };
        c.header('Cache-Control', 'no-store');
        return c.html(
          <AdminAuditPage
            caller={caller}
            flags={await getFlags({ ctx })}
            filter={filter}
            rows={listed.entries}
            next={next}
          />,
        );
      },
    });
  };
}
