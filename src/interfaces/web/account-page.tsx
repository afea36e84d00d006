import type { FlagsView } from '../../domain/flags.ts';
import type { PublicPlan } from '../../services/plans/list-plans.ts';
import type { AccountView } from '../../services/subscriptions/get-account.ts';
import type { Caller } from '../http/env.ts';
import { CancelForm, ChangePlanForm, type FormErrors } from './account-forms.tsx';
import { PaymentHistory } from './account-payments.tsx';
import { BillingNotices, PlanSummary, UsageBar } from './account-summary.tsx';
import { Page } from './layout.tsx';

/** Everything /account renders, decided by the route. */
export type AccountPageProps = {
  caller: Caller;
  flags: FlagsView;
  account: AccountView;
  plans: PublicPlan[];
  /** The caller's writes would pass the kill switches (else the forms are disabled). */
  writable: boolean;
  /** A plan change could start now (no mode active). */
  buyable: boolean;
  notice: { kind: 'ok' | 'error' | 'warning'; text: string } | null;
  errors: FormErrors;
};

/** GET /account: plan, usage, notices, payment history, change plan and cancel. */
export function AccountPage(props: AccountPageProps) {
  const { account } = props;
  const s = account.subscription;
  return (
    <Page
      title="Account"
      section="account"
      caller={props.caller}
      flags={props.flags}
      withPayments
      notice={props.notice}
    >
      <h1>Your account</h1>
      <p class="hint">Signed in as {props.caller.email}</p>
      <BillingNotices subscription={s} />
      <PlanSummary subscription={s} tier={account.usage.tier} />
      <UsageBar usage={account.usage} />
      <PaymentHistory {...account.payments} />
      <ChangePlanForm
        subscription={s}
        plans={props.plans}
        enabled={props.writable && props.buyable}
        errors={props.errors}
      />
      <CancelForm subscription={s} enabled={props.writable} errors={props.errors} />
    </Page>
  );
}
