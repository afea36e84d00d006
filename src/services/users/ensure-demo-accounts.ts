import type { ServiceContext } from '../context.ts';
import { createUser } from './create-user.ts';

/** The demo accounts `npm start` makes in development. */
export const DEMO_ACCOUNTS = [
  { email: 'demo-admin@example.com', name: 'Demo Admin', role: 'admin' },
  { email: 'demo-user@example.com', name: 'Demo User', role: 'user' },
] as const;

/** One demo account; `password` is null when it existed already and no password was supplied. */
export type DemoAccount = {
  email: string;
  role: 'user' | 'admin';
  password: string | null;
  created: boolean;
};

/**
 * In development only, creates the demo admin and demo user once and returns their credentials so
 * `npm start` can print them; elsewhere returns nothing. Pass `passwords` (kept per data folder) to
 * print the same credentials on every start; without them a random one is shown once.
 */
export async function ensureDemoAccounts({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { passwords?: { admin: string; user: string } };
}): Promise<DemoAccount[]> {
  if (ctx.settings.env !== 'development') return [];
  const accounts: DemoAccount[] = [];
  for (const demo of DEMO_ACCOUNTS) {
    if (await ctx.repos.users.authUserExists(demo.email)) {
      const known = input.passwords?.[demo.role] ?? null;
      accounts.push({ email: demo.email, role: demo.role, password: known, created: false });
      continue;
    }
    const made = await createUser({
      ctx,
      input: {
        email: demo.email,
        name: demo.name,
        role: demo.role,
        password: input.passwords?.[demo.role],
        actor: 'dev-seed',
      },
    });
    const password = made.generatedPassword ?? input.passwords?.[demo.role] ?? null;
    accounts.push({ email: made.email, role: made.role, password, created: true });
  }
  return accounts;
}
