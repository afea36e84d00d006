import type { HttpProbe } from '../../adapters/http-probe.ts';
import type { ServiceContext } from '../context.ts';

/** How one checklist item stands: ✓, ✗, or not checkable yet (with the reason). */
export type ItemStatus = 'pass' | 'fail' | 'skip';

/** One item of the runbook's Service Restoration Checklist, checked by machine. */
export type RestoreItem = {
  name: string;
  status: ItemStatus;
  detail: string;
  /** The command (or runbook section) that fixes it; set on every ✗. */
  fix?: string;
};

/** The checklist: ok when no item failed. */
export type RestorationReport = { ok: boolean; url: string; items: RestoreItem[] };

/** What `db verify` answers (services/verify/verify-database.ts): the checks are printed by `db verify` itself. */
export type VerifyOutcome = { ok: boolean; checks: unknown };

/** The seams restore-check takes from other parts; each is optional until the lead wires it. */
export type RestorationSeams = {
  /** `db verify` as a function over this context (src/services/verify/verify-database.ts). */
  verifyDatabase?: (ctx: ServiceContext) => Promise<VerifyOutcome>;
  /** The open incidents of severity Critical (issue 11's incidents part): id and title of each. */
  openCriticalIncidents?: (ctx: ServiceContext) => Promise<{ id: string; title: string }[]>;
};

/** What checkRestoration uses: the service context, HTTP to the served instance, and the seams. */
export type RestorationContext = { ctx: ServiceContext; http: HttpProbe; seams: RestorationSeams };
