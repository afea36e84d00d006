import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import type { TestDatabase } from '../../../test/support/databases.ts';
import { serveFullApp } from '../../../test/support/full-app.ts';
import { createKysely } from '../../adapters/db/connection.ts';
import { findFreePort } from '../../adapters/db/port-probe.ts';
import { createHttpProbe } from '../../adapters/http-probe.ts';
import { runSmoke } from './run-smoke.ts';
import type { SmokeContext } from './smoke-report.ts';

const smokeContext = (url: string): SmokeContext => ({
  http: createHttpProbe(url, 5_000),
  now: () => new Date(),
  elapsedMs: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
});

// The full app served over a real port whose database server is gone: liveness holds, readiness must not.
describe('smoke against an instance whose database is down', () => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  let handle: ReturnType<typeof createKysely>;

  beforeAll(async () => {
    const url = `postgresql://postgres@127.0.0.1:${await findFreePort()}/gone`;
    handle = createKysely(url, { max: 1 });
    const database = { ...handle, backend: 'postgres', url, close: async () => {} } as TestDatabase;
    t = await createTestContext(database);
    served = await serveFullApp(t.ctx);
  });
  afterAll(async () => {
    await served?.close();
    await t?.close();
    await handle?.db.destroy();
  });

  it('fails the readiness step naming the database check, and the run is not ok', async () => {
    const report = await runSmoke({
      ctx: smokeContext(served.url),
      input: { url: served.url, full: false, account: undefined, purchase: undefined },
    });
    const step = (name: string) => report.steps.find((s) => s.name === name);
    expect(report.ok).toBe(false);
    expect(step('health')?.status).toBe('pass');
    expect(step('readiness')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^GET \/api\/health\/ready answered 503: database: /),
    });
    expect(step('sign-in round trip')).toMatchObject({ status: 'skip' });
  });

  it('refuses --full with live keys before sending anything', async () => {
    let sent = 0;
    const ctx = {
      ...smokeContext(served.url),
      http: async () => {
        sent += 1;
        throw new Error('nothing may be sent');
      },
    };
    const purchase = {
      keyId: 'rzp_live_Abc123',
      payCheckout: async () => ({}),
      refund: async () => ({ id: '', status: '' }),
    };
    await expect(
      runSmoke({
        ctx,
        input: { url: served.url, full: true, account: { email: 'a@example.com', password: 'x' }, purchase },
      }),
    ).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('refuses live keys') });
    expect(sent).toBe(0);
  });
});
