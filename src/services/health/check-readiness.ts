import type { ServiceContext } from '../context.ts';

/** One readiness check: ok, and a short detail that never contains a secret. */
export type Check = { ok: boolean; detail: string };
export type Readiness = { ok: boolean; checks: Record<string, Check> };

const PING_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Whether this instance can serve: the database answers and its schema is current. */
export async function checkReadiness({
  ctx,
}: {
  ctx: Pick<ServiceContext, 'database' | 'migrations'>;
}): Promise<Readiness> {
  const checks: Record<string, Check> = {};
  try {
    await withTimeout(ctx.database.ping(), PING_TIMEOUT_MS);
    checks.database = { ok: true, detail: `${ctx.database.kind} reachable` };
  } catch (error) {
    checks.database = { ok: false, detail: error instanceof Error ? error.message : 'unreachable' };
  }
  if (checks.database.ok) {
    try {
      const states = await withTimeout(ctx.migrations.status(), PING_TIMEOUT_MS);
      const behind = states.filter((s) => s.state !== 'applied');
      checks.migrations =
        behind.length === 0
          ? { ok: true, detail: `${states.length} applied` }
          : { ok: false, detail: behind.map((s) => `${s.name} ${s.state}`).join(', ') };
    } catch (error) {
      checks.migrations = { ok: false, detail: error instanceof Error ? error.message : 'unknown' };
    }
  } else {
    checks.migrations = { ok: false, detail: 'database unreachable' };
  }
  return { ok: Object.values(checks).every((c) => c.ok), checks };
}
