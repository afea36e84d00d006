import type { AccountsPort } from '../adapters/auth/accounts-port.ts';
import type { AuthConfig } from '../adapters/auth/options.ts';
import { tokensMatch } from '../adapters/auth/tokens.ts';

type AccountsConfig = AuthConfig & { adminToken?: string | undefined };

/** Loads better-auth (~0.5 s) now, so a server's first sign-in does not wait for it. */
export const preloadAccounts = () => import('../adapters/auth/accounts.ts');

/**
 * The AccountsPort over better-auth, built on first use: CLI commands that never touch accounts
 * (emergency shutdown among them) start without loading it. isAdminToken needs only the token.
 */
export function lazyAccounts(config: AccountsConfig): AccountsPort {
  let built: Promise<AccountsPort> | undefined;
  const accounts = () => {
    built ??= preloadAccounts().then((m) => m.createAccounts(config));
    return built;
  };
  return {
    handle: async (request, options) => (await accounts()).handle(request, options),
    getSession: async (headers, options) => (await accounts()).getSession(headers, options),
    createUser: async (input) => (await accounts()).createUser(input),
    issuePasswordReset: async (email) => (await accounts()).issuePasswordReset(email),
    isAdminToken: (presented) => tokensMatch(presented, config.adminToken),
  };
}
