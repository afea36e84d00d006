import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { refuseWrite } from '../../domain/flags.ts';
import { isUuid } from '../../domain/ids.ts';
import { createBlueprint } from '../../services/blueprints/create-blueprint.ts';
import { deleteBlueprint } from '../../services/blueprints/delete-blueprint.ts';
import { blueprintNotFound, getBlueprint } from '../../services/blueprints/get-blueprint.ts';
import { getUsage } from '../../services/blueprints/get-usage.ts';
import { listBlueprints } from '../../services/blueprints/list-blueprints.ts';
import type { ServiceContext } from '../../services/context.ts';
import { getFlags } from '../../services/flags/get-flags.ts';
import type { RouteModule } from '../http/app.ts';
import { allowBodyUpTo } from '../http/body-limit.ts';
import type { AppEnv, Caller } from '../http/env.ts';
import { route } from '../http/routing.ts';
import { requireCaller } from '../http/session.ts';
import { queryOf } from '../http/validate.ts';
import { DELETE_CONFIRMATION } from './blueprint-delete-form.tsx';
import { BlueprintDetailPage } from './blueprint-detail-page.tsx';
import { readCreateForm } from './blueprint-form.ts';
import { BlueprintListPage, type CreateFormState } from './blueprint-list-page.tsx';
import { doneNotice, seeOther } from './form.ts';
import type { PageProps } from './layout.tsx';

const PAGE_SIZE = 20;
// A form posts its content urlencoded: up to three bytes on the wire per byte of text.
const FORM_BODY_LIMIT = 1024 * 1024;

const ListQuery = z.object({ offset: z.coerce.number().int().min(0).max(1_000_000).default(0) });

/** A path id that is not a uuid cannot be a blueprint: 404 like any other missing one. */
function blueprintId(raw: string | undefined): string {
  if (raw === undefined || !isUuid(raw)) throw blueprintNotFound();
  return raw;
}

/** A signed-in person: the ADMIN_TOKEN has no profile and so no blueprints. */
function requirePerson(c: Context<AppEnv>): Caller {
  const caller = requireCaller(c);
  if (caller.email === 'admin-token')
    throw new AppError('forbidden', 'the ADMIN_TOKEN has no blueprints; sign in');
  return caller;
}

const NOTICES = {
  created: 'Blueprint created.',
  deleted: 'Blueprint deleted. The unit of your quota it used stays used this period.',
};

/** /blueprints and /blueprints/<id>: list, create, open and delete within the quota (same services as the API). */
export function blueprintPages(ctx: ServiceContext): RouteModule {
  const writable = (flags: Awaited<ReturnType<typeof getFlags>>, caller: Caller) =>
    refuseWrite(flags, { kind: 'data', admin: caller.role === 'admin' }, ctx.now()) === null;

  const listPage = async (
    c: Context<AppEnv>,
    caller: Caller,
    offset: number,
    extra: { form?: CreateFormState; notice?: PageProps['notice'] } = {},
  ) => {
    const [flags, usage, list] = await Promise.all([
      getFlags({ ctx }),
      getUsage({ ctx, input: { userId: caller.userId } }),
      listBlueprints({ ctx, input: { userId: caller.userId, limit: PAGE_SIZE, offset } }),
    ]);
    return (
      <BlueprintListPage
        caller={caller}
        flags={flags}
        usage={usage}
        items={list.items}
        offset={offset}
        pageSize={PAGE_SIZE}
        nextOffset={list.nextOffset}
        writable={writable(flags, caller)}
        form={extra.form}
        notice={extra.notice ?? doneNotice(c, NOTICES)}
      />
    );
  };

  const detailPage = async (caller: Caller, id: string, confirmError?: string) => {
    const [blueprint, flags] = await Promise.all([
      getBlueprint({ ctx, input: { userId: caller.userId, id } }),
      getFlags({ ctx }),
    ]);
    return (
      <BlueprintDetailPage
        caller={caller}
        flags={flags}
        blueprint={blueprint}
        writable={writable(flags, caller)}
        confirmError={confirmError}
      />
    );
  };

  return (app) => {
    allowBodyUpTo(app, '/blueprints', FORM_BODY_LIMIT);
    route(app, '/blueprints', {
      GET: async (c) => {
        const caller = requirePerson(c);
        const { offset } = queryOf(c, ListQuery);
        return c.html(await listPage(c, caller, offset));
      },
      POST: async (c) => {
        const caller = requirePerson(c);
        const form = readCreateForm(await c.req.parseBody({ all: true }));
        if (!form.ok) {
          const notice = { kind: 'error' as const, text: form.message };
          return c.html(await listPage(c, caller, 0, { form: form.state, notice }), 400);
        }
        try {
          await createBlueprint({ ctx, input: { userId: caller.userId, ...form.value } });
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'forbidden')) throw error;
          const notice = { kind: 'error' as const, text: error.message };
          return c.html(
            await listPage(c, caller, 0, { form: { values: form.value, errors: {} }, notice }),
            403,
          );
        }
        return seeOther(c, '/blueprints', 'created');
      },
    });
    route(app, '/blueprints/:id', {
      GET: async (c) => {
        const caller = requirePerson(c);
        return c.html(await detailPage(caller, blueprintId(c.req.param('id'))));
      },
    });
    route(app, '/blueprints/:id/delete', {
      POST: async (c) => {
        const caller = requirePerson(c);
        const id = blueprintId(c.req.param('id'));
        const body = await c.req.parseBody({ all: true });
        if (typeof body.confirm !== 'string' || body.confirm.trim() !== DELETE_CONFIRMATION) {
          const why = `confirm: type ${DELETE_CONFIRMATION} to delete this blueprint; nothing was deleted`;
          return c.html(await detailPage(caller, id, why), 400);
        }
        await deleteBlueprint({ ctx, input: { userId: caller.userId, id } });
        return seeOther(c, '/blueprints', 'deleted');
      },
    });
  };
}
