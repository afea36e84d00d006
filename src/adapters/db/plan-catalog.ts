import { type Kysely, sql } from 'kysely';
import type { Plan } from '../../domain/plans.ts';
import type { Database } from './schema.ts';

/** Writes the code catalog into plan_catalog, which the SQL quota functions read. Idempotent. */
export async function syncPlanCatalog(db: Kysely<Database>, plans: readonly Plan[]): Promise<number> {
  const rows = plans.map((p) => ({
    tier: p.tier,
    blueprint_limit: p.blueprintLimit,
    per_seat: p.perSeat,
    price_monthly_paise: p.pricePaise.monthly,
    price_yearly_paise: p.pricePaise.yearly,
  }));
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('plan_catalog')
      .values(rows)
      .onConflict((oc) =>
        oc.column('tier').doUpdateSet((eb) => ({
          blueprint_limit: eb.ref('excluded.blueprint_limit'),
          per_seat: eb.ref('excluded.per_seat'),
          price_monthly_paise: eb.ref('excluded.price_monthly_paise'),
          price_yearly_paise: eb.ref('excluded.price_yearly_paise'),
          updated_at: sql`now()`,
        })),
      )
      .execute();
    await trx
      .deleteFrom('plan_catalog')
      .where(
        'tier',
        'not in',
        rows.map((r) => r.tier),
      )
      .execute();
  });
  return rows.length;
}
