import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { cookiesFrom } from '../../test/support/accounts.ts';

// What the pages read beyond seedDataset: refunds of the refunded payments, blueprints for every
// user, an audit log with one `db.verify` a month back, drills; then a signed-in subscriber
// holding the heaviest active subscriber's history, and a signed-in admin.

const PASSWORD = 'bench-pages-password-01';

/** Refunds, blueprints (`perUser` each), audit rows and drills around the billing data set. */
export async function seedPageData(
  db: Kysely<Database>,
  size: { blueprintsPerUser: number; auditRows: number },
) {
  await sql`
    INSERT INTO refunds (razorpay_refund_id, payment_id, razorpay_payment_id, amount, status, created_at)
    SELECT 'rfnd_DS' || substr(razorpay_payment_id, 7), payment_id, razorpay_payment_id, amount, 'processed', refunded_at
    FROM payments WHERE status = 'refunded'`.execute(db);
  await sql`
    INSERT INTO blueprints (user_id, title, content, created_at)
    SELECT u.user_id, 'Blueprint ' || n, '{"steps": []}', u.created_at + make_interval(hours => n)
    FROM user_profiles u CROSS JOIN generate_series(1, ${size.blueprintsPerUser}) AS n`.execute(db);
  await sql`
    INSERT INTO audit_log (actor, action, target, created_at)
    SELECT 'ops', (ARRAY['flag.set', 'payment.sync', 'subscription.sync', 'user.create'])[n % 4 + 1],
           'target-' || n, now() - make_interval(secs => n * 30)
    FROM generate_series(1, ${size.auditRows}) AS n`.execute(db);
  await sql`
    INSERT INTO audit_log (actor, action, target, created_at)
    VALUES ('ops', 'db.verify', 'ok', now() - interval '30 days')`.execute(db);
  await sql`
    INSERT INTO drills (backup_id, engine, ok, phases, recovery_ms, actor, started_at)
    SELECT 'backup-' || n, 'postgresql', true, '{}', 60000, 'ops', now() - make_interval(days => n * 90)
    FROM generate_series(1, 8) AS n`.execute(db);
  await sql`ANALYZE`.execute(db);
}

/**
 * Creates a subscriber account and hands it the subscription, payments and profile billing
 * columns of the active subscriber with the most payments; `blueprints` of its own on top.
 */
export async function adoptHeaviestSubscriber(ctx: ServiceContext, db: Kysely<Database>, blueprints: number) {
  const heaviest = await sql<{ user_id: string; n: string }>`
    SELECT p.user_id, count(*) AS n FROM payments p
    JOIN subscriptions s ON s.user_id = p.user_id AND s.status = 'active'
    GROUP BY p.user_id ORDER BY count(*) DESC, p.user_id LIMIT 1`.execute(db);
  const from = heaviest.rows[0];
  if (!from) throw new Error('the data set has no active subscriber with payments');
  const account = await ctx.accounts.createUser({
    email: 'bench-subscriber@example.com',
    password: PASSWORD,
    name: 'Bench Subscriber',
    role: 'user',
  });
  await db.transaction().execute(async (trx) => {
    // The sync triggers are off, as when the data set was written; the columns are copied as they are.
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await sql`UPDATE subscriptions SET user_id = ${account.userId} WHERE user_id = ${from.user_id}`.execute(
      trx,
    );
    await sql`UPDATE payments SET user_id = ${account.userId} WHERE user_id = ${from.user_id}`.execute(trx);
    await sql`
      UPDATE user_profiles n SET subscription_tier = o.subscription_tier, subscription_id = o.subscription_id,
        usage_period_start = o.usage_period_start, usage_period_end = o.usage_period_end
      FROM user_profiles o WHERE n.user_id = ${account.userId} AND o.user_id = ${from.user_id}`.execute(trx);
    await sql`
      UPDATE user_profiles SET subscription_tier = 'free', subscription_id = NULL,
        usage_period_start = NULL, usage_period_end = NULL
      WHERE user_id = ${from.user_id}`.execute(trx);
    await sql`
      INSERT INTO blueprints (user_id, title, content, created_at)
      SELECT ${account.userId}, 'My blueprint ' || n, '{"steps": []}', now() - make_interval(hours => n)
      FROM generate_series(1, ${blueprints}) AS n`.execute(trx);
  });
  await sql`ANALYZE payments, subscriptions, user_profiles, blueprints`.execute(db);
  return { userId: account.userId, email: account.email, payments: Number(from.n) };
}

/** Creates an admin account. */
export async function createBenchAdmin(ctx: ServiceContext) {
  return ctx.accounts.createUser({
    email: 'bench-admin@example.com',
    password: PASSWORD,
    name: 'Bench Admin',
    role: 'admin',
  });
}

type Requester = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** Signs in through the app's own route; the session cookie it sets. */
export async function signIn(app: Requester, email: string, origin: string): Promise<string> {
  const res = await app.request('/api/auth/sign-in/email', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email} answered ${res.status}: ${await res.text()}`);
  const cookie = cookiesFrom(res);
  if (!cookie) throw new Error(`sign-in of ${email} set no cookie`);
  return cookie;
}
