import type { HttpProbe } from '../../adapters/http-probe.ts';
import { getJson, type SmokeAccount, type SmokeStep, StepFailure } from './smoke-report.ts';
import { openSmokeSession } from './smoke-session.ts';

/** The inputs the read-only steps need: where the instance is, and the smoke account if any. */
export type ReadOnlyInput = { origin: string; account: SmokeAccount | undefined };

const pass = (detail: string) => ({ status: 'pass' as const, detail });
const skip = (detail: string) => ({ status: 'skip' as const, detail });

function failingChecks(body: Record<string, unknown>): string {
  const checks = (body.checks ?? {}) as Record<string, { ok?: boolean; detail?: string }>;
  const failing = Object.entries(checks).filter(([, c]) => c.ok !== true);
  return failing.map(([name, c]) => `${name}: ${c.detail ?? 'not ok'}`).join('; ') || 'no check named';
}

/**
 * The steps a smoke run takes without changing anything: liveness, readiness, the pricing page, the
 * plans API, a sign-in round trip of the smoke account, the webhook refusing an unsigned body, and
 * the status page once it exists.
 */
export function readOnlySteps(http: HttpProbe, input: ReadOnlyInput): SmokeStep[] {
  let planNames: string[] = [];
  return [
    {
      name: 'health',
      run: async () => {
        const { status, body } = await getJson(http, '/api/health');
        if (status !== 200 || body.ok !== true) throw new StepFailure(`GET /api/health answered ${status}`);
        return pass(`alive, version ${body.version ?? '?'}, schema ${body.schema ?? '?'}`);
      },
    },
    {
      name: 'readiness',
      run: async () => {
        const { status, body } = await getJson(http, '/api/health/ready');
        if (status !== 200) {
          throw new StepFailure(`GET /api/health/ready answered ${status}: ${failingChecks(body)}`);
        }
        return pass(`ready: ${Object.keys(body.checks ?? {}).join(', ')}`);
      },
    },
    {
      name: 'plans',
      run: async () => {
        const { status, body } = await getJson(http, '/api/plans');
        const plans = Array.isArray(body.plans) ? (body.plans as { name?: unknown; tier?: unknown }[]) : [];
        if (status !== 200 || plans.length === 0) {
          throw new StepFailure(`GET /api/plans answered ${status} with ${plans.length} plans`);
        }
        planNames = plans.map((p) => String(p.name));
        return pass(`${plans.length} plans: ${plans.map((p) => String(p.tier)).join(', ')}`);
      },
    },
    {
      name: 'pricing page',
      run: async () => {
        const answer = await http({ method: 'GET', path: '/pricing' });
        const type = answer.header('content-type') ?? '';
        if (answer.status !== 200 || !type.includes('text/html')) {
          throw new StepFailure(`GET /pricing answered ${answer.status} (${type || 'no content type'})`);
        }
        const missing = planNames.filter((name) => !answer.text.includes(name));
        if (missing.length > 0) throw new StepFailure(`/pricing does not show ${missing.join(', ')}`);
        return pass(`200 text/html, ${answer.text.length} bytes, every plan shown`);
      },
    },
    {
      name: 'sign-in round trip',
      run: async () => {
        if (!input.account) return skip('SMOKE_EMAIL and SMOKE_PASSWORD are not set: no smoke account');
        const session = await openSmokeSession(http, input.origin, input.account);
        const current = await session.request('GET', '/api/auth/get-session');
        const email = (JSON.parse(current.text || 'null') as { user?: { email?: string } } | null)?.user
          ?.email;
        if (current.status !== 200 || email?.toLowerCase() !== input.account.email.toLowerCase()) {
          throw new StepFailure(
            `GET /api/auth/get-session with the new cookie answered ${current.status} without the account`,
          );
        }
        const out = await session.signOut();
        if (out !== 200) throw new StepFailure(`sign-out answered ${out}`);
        return pass(`signed in as ${input.account.email}, session read back, signed out`);
      },
    },
    {
      name: 'webhook refuses unsigned',
      run: async () => {
        const answer = await http({
          method: 'POST',
          path: '/api/webhooks/razorpay',
          headers: { 'content-type': 'application/json' },
          body: '{"event":"smoke.unsigned"}',
        });
        if (answer.status !== 400) {
          throw new StepFailure(
            `an unsigned body to /api/webhooks/razorpay answered ${answer.status}, not 400`,
          );
        }
        return pass('an unsigned body answered 400');
      },
    },
    {
      name: 'status page',
      run: async () => {
        const answer = await http({ method: 'GET', path: '/status' });
        if (answer.status === 404)
          return skip('no status page at /status on this instance (issue 11 builds it)');
        if (answer.status !== 200) throw new StepFailure(`GET /status answered ${answer.status}`);
        return pass('GET /status answered 200');
      },
    },
  ];
}
