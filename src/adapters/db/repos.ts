import type { Kysely } from 'kysely';
import { createAlertsRepo } from './alerts-repo.ts';
import { createAuditRepo } from './audit-repo.ts';
import { createBillingRepo } from './billing-repo.ts';
import { createBlueprintsRepo } from './blueprints-repo.ts';
import { createCheckoutRepo } from './checkout-repo.ts';
import { createDeploymentsRepo } from './deployments-repo.ts';
import { createDrillsRepo } from './drills-repo.ts';
import type { Executor } from './executor.ts';
import { createFlagsRepo } from './flags-repo.ts';
import { createInboxRepo } from './inbox-repo.ts';
import { createIncidentsRepo } from './incidents-repo.ts';
import { createMaintenanceRepo } from './maintenance-repo.ts';
import { createMetricsRepo } from './metrics-repo.ts';
import { createNotificationsRepo } from './notifications-repo.ts';
import { createPaymentHistoryRepo } from './payment-history-repo.ts';
import { createRazorpayPlansRepo } from './razorpay-plans-repo.ts';
import { createReconcileRepo } from './reconcile-repo.ts';
import { createReportsRepo } from './reports-repo.ts';
import { createRequestLogsRepo } from './request-logs-repo.ts';
import { createSchedulerRepo } from './scheduler-repo.ts';
import type { Database } from './schema.ts';
import { createSessionsRepo } from './sessions-repo.ts';
import { createSmokeRunsRepo } from './smoke-runs-repo.ts';
import { createStatusRepo } from './status-repo.ts';
import { createStatusSubscriptionsRepo } from './status-subscriptions-repo.ts';
import { createUsersRepo } from './users-repo.ts';
import { createVerifyRepo } from './verify-repo.ts';
import { createWebhookOpsRepo } from './webhook-ops-repo.ts';
import { createWebhookSignaturesRepo } from './webhook-signatures-repo.ts';

/** Every repository, bound to one executor (the pool or a transaction). */
export function createRepos(db: Executor) {
  return {
    audit: createAuditRepo(db),
    inbox: createInboxRepo(db),
    billing: createBillingRepo(db),
    users: createUsersRepo(db),
    sessions: createSessionsRepo(db),
    blueprints: createBlueprintsRepo(db),
    razorpayPlans: createRazorpayPlansRepo(db),
    checkout: createCheckoutRepo(db),
    paymentHistory: createPaymentHistoryRepo(db),
    webhookSignatures: createWebhookSignaturesRepo(db),
    webhookOps: createWebhookOpsRepo(db),
    deployments: createDeploymentsRepo(db),
    drills: createDrillsRepo(db),
    metrics: createMetricsRepo(db),
    flags: createFlagsRepo(db),
    requestLogs: createRequestLogsRepo(db),
    reconcile: createReconcileRepo(db),
    verify: createVerifyRepo(db),
    smokeRuns: createSmokeRunsRepo(db),
    incidents: createIncidentsRepo(db),
    alerts: createAlertsRepo(db),
    maintenance: createMaintenanceRepo(db),
    scheduler: createSchedulerRepo(db),
    status: createStatusRepo(db),
    reports: createReportsRepo(db),
    notifications: createNotificationsRepo(db),
    statusSubscriptions: createStatusSubscriptionsRepo(db),
  };
}

/** The repositories services use. */
export type Repos = ReturnType<typeof createRepos>;

/** Runs work in one transaction: everything it writes commits together or not at all. */
export type UnitOfWork = <T>(work: (repos: Repos) => Promise<T>) => Promise<T>;

/** A UnitOfWork over the pool. */
export function createUnitOfWork(db: Kysely<Database>): UnitOfWork {
  return (work) => db.transaction().execute((trx) => work(createRepos(trx)));
}
