import { betterAuth } from 'better-auth';
import { APIError } from 'better-auth/api';
import { AppError } from '../../domain/errors.ts';
import { watchDatabaseTrouble } from '../db/unavailable.ts';
import type { AccountsPort, NewAccount } from './accounts-port.ts';
import { authRefusal, refusalOf } from './errors.ts';
import { type AuthConfig, authOptions, CLIENT_IP_HEADER, MIN_PASSWORD_LENGTH } from './options.ts';
import { withPasswordHashedFirst } from './password.ts';
import { captureResetToken, RESET_TOKEN_SECONDS } from './password-reset.ts';
import { tokensMatch } from './tokens.ts';

/** The better-auth instance Polaris runs. */
export function createAuth(config: AuthConfig) {
  return betterAuth(authOptions(config));
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
  const body = error.body as { code?: string; message?: string } | undefined;
  if (body?.code?.startsWith('USER_ALREADY_EXISTS')) {
    return new AppError('conflict', `an account for ${email} already exists`);
  }
  return authRefusal(error.statusCode, body?.code ?? '', body?.message ?? 'the account was refused');
}

/**
 * The request better-auth sees, with the client's address in a header only Polaris sets: the
 * connection's, preceded by X-Forwarded-For when proxies are trusted (better-auth then walks the
 * chain from the right past the trusted hops, so a client cannot name itself).
 */
function withClientIp(request: Request, clientIp: string | undefined, trustsProxies: boolean): Request {
  const headers = new Headers(request.headers);
  headers.delete(CLIENT_IP_HEADER);
  const forwarded = trustsProxies ? headers.get('x-forwarded-for') : null;
  const chain = [forwarded, clientIp].filter((v): v is string => typeof v === 'string' && v !== '');
  if (chain.length > 0) headers.set(CLIENT_IP_HEADER, chain.join(', '));
  return new Request(request, { headers });
}

/**
 * The request with better-auth's `disableRefresh` set when session writes are held: GET
 * get-session and list-sessions would otherwise extend an old session's expires_at. Only GETs
 * reach better-auth while read-only is on (the flag guard refuses the rest).
 */
function withoutRefresh(request: Request, holdWrites: boolean | undefined): Request {
  if (!holdWrites || request.method !== 'GET') return request;
  const url = new URL(request.url);
  url.searchParams.set('disableRefresh', 'true');
  return new Request(url, request);
}

/** The password of a sign-up worth hashing ahead (the length better-auth accepts), else undefined. */
async function signUpPassword(request: Request): Promise<string | undefined> {
  if (request.method !== 'POST' || !new URL(request.url).pathname.endsWith('/sign-up/email'))
    return undefined;
  const body = (await request
    .clone()
    .json()
    .catch(() => null)) as { password?: unknown } | null;
  const password = body?.password;
  return typeof password === 'string' && password.length >= MIN_PASSWORD_LENGTH && password.length <= 128
    ? password
    : undefined;
}

/**
 * Runs a better-auth call and reports a database outage as AppError('database_unavailable') even
 * where better-auth caught the driver's error and answered or threw something else.
 */
async function unlessDatabaseDown<T>(work: () => Promise<T>): Promise<T> {
  const { value, trouble } = await watchDatabaseTrouble(work);
  if (trouble) throw trouble;
  return value;
}

/** The AccountsPort over better-auth; ADMIN_TOKEN (unset: no token accepted) is checked here. */
export function createAccounts(config: AuthConfig & { adminToken?: string | undefined }): AccountsPort {
  const auth = createAuth(config);
  return {
    async handle(request, options = {}) {
      const forwarded = withoutRefresh(
        withClientIp(request, options.clientIp, (config.trustedProxies ?? []).length > 0),
        options.holdWrites,
      );
      const password = await signUpPassword(forwarded);
      const response = await unlessDatabaseDown(() =>
        password ? withPasswordHashedFirst(password, () => auth.handler(forwarded)) : auth.handler(forwarded),
      );
      if (response.status >= 400) throw await refusalOf(response);
      return response;
    },

    async getSession(headers, options = {}) {
      const query = { disableCookieCache: true, ...(options.holdWrites ? { disableRefresh: true } : {}) };
      const found = await unlessDatabaseDown(() => auth.api.getSession({ headers, query }));
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
        const { user } = await unlessDatabaseDown(() =>
          auth.api.createUser({
            body: { email: input.email, password: input.password, name: input.name, role: input.role },
          }),
        );
        return { userId: user.id, email: user.email };
      } catch (error) {
        throw toAppError(error, input.email);
      }
    },

    async issuePasswordReset(email) {
      const expiresAt = new Date(Date.now() + RESET_TOKEN_SECONDS * 1000);
      const token = await captureResetToken(() =>
        unlessDatabaseDown(() => auth.api.requestPasswordReset({ body: { email } })),
      );
      if (!token) throw new AppError('not_found', `no account signs in as ${email}`);
      return { token, expiresAt };
    },

    isAdminToken: (presented) => tokensMatch(presented, config.adminToken),
  };
}
