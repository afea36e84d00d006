import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { refuseWrite } from '../../domain/flags.ts';
import { BillingCycle, planFor, Tier } from '../../domain/plans.ts';
import type { ServiceContext } from '../../services/context.ts';
import { getFlags } from '../../services/flags/get-flags.ts';
import { listPlans } from '../../services/plans/list-plans.ts';
import { cancelSubscription } from '../../services/subscriptions/cancel-subscription.ts';
import { getAccount } from '../../services/subscriptions/get-account.ts';
import { startCheckout } from '../../services/subscriptions/start-checkout.ts';
import type { RouteModule } from '../http/app.ts';
import type { AppEnv, Caller } from '../http/env.ts';
import { route } from '../http/routing.ts';
import { requireCaller } from '../http/session.ts';
import { queryOf } from '../http/validate.ts';
import { CANCEL_WORD, type FormErrors } from './account-forms.tsx';
import { AccountPage } from './account-page.tsx';
import { doneNotice, readForm, seeOther } from './form.ts';
import { canBuy } from './mode-banner.tsx';

const PAGE_SIZE = 10;
const AccountQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });
const CancelBody = z.object({ when: z.enum(['now', 'cycle_end']), confirm: z.string().max(200) });
const PlanBody = z.object({
  tier: Tier,
  cycle: BillingCycle,
  seats: z.coerce.number().int().min(1).max(1000).default(1),
});
const DONE = {
  cancelled: 'Your subscription is cancelled; your account is on the free plan.',
  'cancel-scheduled': 'Your subscription will end at the end of the current period.',
  'plan-changed': 'Your plan is changed.',
};
const FIELD = /^(confirm|when|tier|cycle|seats): /;

/** The signed-in person; the ADMIN_TOKEN has no account to show. */
function accountHolder(c: Context<AppEnv>): Caller {
  const caller = requireCaller(c);
  if (caller.email === 'admin-token')
    throw new AppError('forbidden', 'the admin token has no account; sign in');
  return caller;
}

/** /account: the subscriber's plan, usage, payments and billing actions. */
export function accountPages(ctx: ServiceContext): RouteModule {
  type Refused = { status: 400 | 409; text: string; field?: keyof FormErrors | undefined };
  const render = async (c: Context<AppEnv>, caller: Caller, page: number, refused?: Refused) => {
    const [flags, account] = await Promise.all([
      getFlags({ ctx }),
      getAccount({ ctx, input: { userId: caller.userId, page, pageSize: PAGE_SIZE } }),
    ]);
    const writable = refuseWrite(flags, { kind: 'data', admin: caller.role === 'admin' }, ctx.now()) === null;
    c.header('Cache-Control', 'no-store');
    return c.html(
      <AccountPage
        caller={caller}
        flags={flags}
        account={account}
        plans={listPlans()}
        writable={writable}
        buyable={canBuy(flags)}
        notice={
          refused ? { kind: 'error', text: `Nothing was changed: ${refused.text}` } : doneNotice(c, DONE)
        }
        errors={refused?.field ? { [refused.field]: refused.text } : {}}
      />,
      refused?.status ?? 200,
    );
  };
  // A bad field (400) or a refused change (409) is shown on the page itself, the field's error
  // beside it; every other error gets the error page of its status.
  const orRefusal = async (c: Context<AppEnv>, caller: Caller, act: () => Promise<Response>) => {
    try {
      return await act();
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const field = FIELD.exec(error.message)?.[1] as keyof FormErrors | undefined;
      if (error.code === 'bad_request' && field)
        return render(c, caller, 1, { status: 400, text: error.message, field });
      if (error.code === 'conflict') return render(c, caller, 1, { status: 409, text: error.message });
      throw error;
    }
  };

  return (app) => {
    route(app, '/account', {
      GET: async (c) => {
        const caller = accountHolder(c);
        return render(c, caller, queryOf(c, AccountQuery).page);
      },
    });
    route(app, '/account/cancel', {
      POST: async (c) => {
        const caller = accountHolder(c);
        return orRefusal(c, caller, async () => {
          const form = await readForm(c, CancelBody);
          if (form.confirm.trim() !== CANCEL_WORD) {
            throw new AppError('bad_request', `confirm: type ${CANCEL_WORD} to cancel your subscription`);
          }
          const view = await cancelSubscription({
            ctx,
            input: { userId: caller.userId, atCycleEnd: form.when === 'cycle_end' },
          });
          return seeOther(c, '/account', view.cancelAtCycleEnd ? 'cancel-scheduled' : 'cancelled');
        });
      },
    });
    route(app, '/account/plan', {
      POST: async (c) => {
        const caller = accountHolder(c);
        return orRefusal(c, caller, async () => {
          const form = await readForm(c, PlanBody);
          // Only team tiers take seats; for the others the seat box is not theirs to send.
          const seats = planFor(form.tier).perSeat ? form.seats : undefined;
          const result = await startCheckout({
            ctx,
            input: {
              userId: caller.userId,
              tier: form.tier,
              cycle: form.cycle,
              seats,
              flags: c.get('flags'),
            },
          });
          if (result.outcome === 'changed') return seeOther(c, '/account', 'plan-changed');
          // No active plan to change in place: the checkout is ready to pay on /pricing.
          return c.redirect(`/pricing?plan=${form.tier}&cycle=${form.cycle}`, 303);
        });
      },
    });
  };
}
