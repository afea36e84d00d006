import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { listBackups } from '../../services/backups/list-backups.ts';
import { listDrills } from '../../services/backups/list-drills.ts';
import { takeBackup } from '../../services/backups/take-backup.ts';
import type { ServiceContext } from '../../services/context.ts';
import { getFlags } from '../../services/flags/get-flags.ts';
import { type VerifyReport, verifyDatabase } from '../../services/verify/verify-database.ts';
import type { RouteModule } from '../http/app.ts';
import type { AppEnv } from '../http/env.ts';
import { route } from '../http/routing.ts';
import { requireAdmin } from '../http/session.ts';
import { AdminDbPage, type BackupListing } from './admin-db-page.tsx';
import { doneNotice, readForm, seeOther } from './form.ts';

const BackupForm = z.object({ label: z.string().max(40).optional() });
const DONE = { backup: 'Backup taken: its dump and manifest are in the folder below.' };

/**
 * /admin/db: verify, backup, and the lists of backups and drills, through the services of
 * `polaris db verify` and `polaris db backup`. Neither writes a row, and like those commands they
 * run in maintenance and read-only (OPERATOR_PREFIXES): a backup is what an operator wants then.
 */
export function adminDbWeb(ctx: ServiceContext): RouteModule {
  const listing = (): BackupListing => {
    try {
      return listBackups({ ctx, input: {} });
    } catch (error) {
      if (error instanceof AppError && error.code === 'bad_request') return { problem: error.message };
      throw error;
    }
  };
  const render = async (c: Context<AppEnv>, verify: VerifyReport | null) => {
    const caller = requireAdmin(c);
    const [flags, drills] = await Promise.all([getFlags({ ctx }), listDrills({ ctx, input: { limit: 10 } })]);
    c.header('Cache-Control', 'no-store');
    return c.html(
      <AdminDbPage
        caller={caller}
        flags={flags}
        notice={doneNotice(c, DONE)}
        verify={verify}
        listing={listing()}
        drills={drills}
      />,
    );
  };
  return (app) => {
    route(app, '/admin/db', { GET: (c) => render(c, null) });
    // Answers with the page (no redirect): a verify changes nothing, and its checks are the answer.
    route(app, '/admin/db/verify', {
      POST: async (c) => {
        const admin = requireAdmin(c);
        return render(c, await verifyDatabase({ ctx, input: { actor: admin.email } }));
      },
    });
    route(app, '/admin/db/backup', {
      POST: async (c) => {
        const admin = requireAdmin(c);
        const form = await readForm(c, BackupForm);
        const taken = await takeBackup({ ctx, input: { label: form.label, actor: admin.email } });
        if (!taken.ok) throw taken.error;
        return seeOther(c, '/admin/db', 'backup');
      },
    });
  };
}
