import { createHash, timingSafeEqual } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { APIError } from 'better-auth/api';
import { AppError } from '../../domain/errors.ts';
import type { AccountsPort, NewAccount } from './accounts-port.ts';
import { type AuthConfig, authOptions } from './options.ts';

/** The better-auth instance Polaris runs. */
export function createAuth(config: AuthConfig) {
  return betterAuth(authOptions(config));
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Compares through fixed-length digests so neither content nor length leaks through timing. */
function tokensMatch(presented: string, expected: string | undefined): boolean {
  if (!expected) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

const isBanned = (user: { banned?: boolean | null; banExpires?: Date | string | null }): boolean =>
  user.banned === true && (!user.banExpires || new Date(user.banExpires).getTime() > Date.now());

const isUniqueViolation = (error: unknown): boolean => {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
};

/** better-auth's refusals become our closed error codes; messages never echo the password. */
function toAppError(error: unknown, email: string): unknown {
  if (isUniqueViolation(error)) return new AppError('conflict', `an account for ${email} already exists`);
  if (!(error instanceof APIError)) return error;
  const code = (error.body as { code?: string } | undefined)?.code ?? '';
  if (code.startsWith('USER_ALREADY_EXISTS')) {
    return new AppError('conflict', `an account for ${email} already exists`);
  }
  if (error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('bad_request', error.body?.message ?? 'the account was refused');
  }
  return error;
}

/** The AccountsPort over better-auth; ADMIN_TOKEN (unset: no token accepted) is checked here. */
export function createAccounts(config: AuthConfig & { adminToken?: string | undefined }): AccountsPort {
  const auth = createAuth(config);
  return {
    handle: (request) => auth.handler(request),

    async getSession(headers) {
      const found = await auth.api.getSession({ headers, query: { disableCookieCache: true } });
      if (!found) return null;
      return {
        sessionId: found.session.id,
        userId: found.user.id,
        email: found.user.email,
        expiresAt: new Date(found.session.expiresAt),
        banned: isBanned(found.user),
      };
    },

    async createUser(input: NewAccount) {
      try {
        // Called without headers, the admin plugin's createUser runs as the server itself.
        const { user } = await auth.api.createUser({
          body: { email: input.email, password: input.password, name: input.name, role: input.role },
        });
        return { userId: user.id, email: user.email };
      } catch (error) {
        throw toAppError(error, input.email);
      }
    },

    isAdminToken: (presented) => tokensMatch(presented, config.adminToken),
  };
}
