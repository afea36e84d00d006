import type { BetterAuthOptions } from 'better-auth';
import { APIError } from 'better-auth/api';
import { admin } from 'better-auth/plugins/admin';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { createUsersRepo } from '../db/users-repo.ts';
import type { Logger } from '../logger.ts';
import { passwordHashing } from './password.ts';
import { deliverResetToken, RESET_TOKEN_SECONDS } from './password-reset.ts';

/** At most `max` requests per client address within `windowSeconds`. */
export type RateLimit = { max: number; windowSeconds: number };

/** The header better-auth reads the client's address from; only Polaris sets it (accounts.ts). */
export const CLIENT_IP_HEADER = 'x-polaris-client-ip';

/** What the auth instance is built from; every value comes from the parsed configuration. */
export type AuthConfig = {
  db: Kysely<Database>;
  /** Signs session cookies; AUTH_SECRET, generated per data folder in development. */
  secret: string;
  /** PUBLIC_BASE_URL: the origin browsers use, trusted for cookie-carrying POSTs. */
  baseUrl: string;
  /**
   * better-auth's rate limiter, on in every environment and kept in the database so it holds
   * across instances; sign-in and sign-up have their own limits, other auth endpoints its default.
   */
  rateLimit: { signIn: RateLimit; signUp: RateLimit };
  /** TRUSTED_PROXIES: connections from these may name the client in X-Forwarded-For. */
  trustedProxies?: string[];
  /** Where better-auth's own warnings and errors go (as JSON lines, not its console output). */
  log?: Logger;
};

/** The minimum better-auth enforces on sign-up and password changes (services/users/create-user.ts holds the same figure; tests pin both). */
export const MIN_PASSWORD_LENGTH = 10;

/** The admin plugin: ban and session revocation; its role column mirrors user_profiles.role. */
export function adminPlugin() {
  return admin({
    defaultRole: 'user',
    adminRoles: ['admin'],
    schema: {
      user: { fields: { banReason: 'ban_reason', banExpires: 'ban_expires' } },
      session: { fields: { impersonatedBy: 'impersonated_by' } },
    },
  });
}

const rule = (limit: RateLimit) => ({ max: limit.max, window: limit.windowSeconds });

function authLogger(log: Logger) {
  return {
    level: 'warn' as const,
    log: (level: 'debug' | 'info' | 'warn' | 'error', message: string, ...args: unknown[]) => {
      const err = args.find((a) => a instanceof Error);
      log[level]({ source: 'better-auth', ...(err ? { err } : {}) }, message);
    },
  };
}

/**
 * Refuses a password sign-in to a user whose profile is disabled or must reset its password, once
 * the password was right (so only its holder learns why). Sign-in holds no transaction, so a query
 * of its own is safe even on a one-connection pool; other paths that create sessions run inside one.
 */
function refuseLockedSignIn(db: Kysely<Database>) {
  const users = createUsersRepo(db);
  return async (session: { userId: string }, ctx: { path?: string } | null) => {
    if (ctx?.path !== '/sign-in/email') return;
    const profile = await users.findProfile(session.userId);
    if (profile?.disabledAt) {
      throw APIError.from('FORBIDDEN', { code: 'ACCOUNT_DISABLED', message: 'this account is disabled' });
    }
    if (profile?.passwordResetRequiredAt) {
      throw APIError.from('FORBIDDEN', {
        code: 'PASSWORD_RESET_REQUIRED',
        message: 'this account must set a new password through the reset link it was given',
      });
    }
  };
}

/**
 * better-auth's options for Polaris: our own Kysely (PGlite over the wire or PostgreSQL), snake_case
 * tables from migrations/0002_accounts, UUID user ids (gen_random_uuid()), email and password only.
 */
export function authOptions(config: AuthConfig) {
  return {
    appName: 'Polaris',
    baseURL: config.baseUrl,
    basePath: '/api/auth',
    secret: config.secret,
    trustedOrigins: [new URL(config.baseUrl).origin],
    database: { db: config.db, type: 'postgres', transaction: true },
    telemetry: { enabled: false },
    ...(config.log ? { logger: authLogger(config.log) } : {}),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      autoSignIn: true,
      password: passwordHashing,
      // Tokens are issued only by `polaris users require-password-reset` (the request endpoint is not served).
      sendResetPassword: deliverResetToken,
      resetPasswordTokenExpiresIn: RESET_TOKEN_SECONDS,
      revokeSessionsOnPasswordReset: true,
    },
    databaseHooks: { session: { create: { before: refuseLockedSignIn(config.db) } } },
    // Thrown errors reach our error handler instead of becoming better-auth's empty 500.
    onAPIError: { throw: true },
    user: {
      modelName: 'auth_user',
      fields: { emailVerified: 'email_verified', createdAt: 'created_at', updatedAt: 'updated_at' },
    },
    session: {
      modelName: 'auth_session',
      fields: {
        expiresAt: 'expires_at',
        createdAt: 'created_at',
        updatedAt: 'updated_at',
        ipAddress: 'ip_address',
        userAgent: 'user_agent',
        userId: 'user_id',
      },
    },
    account: {
      modelName: 'auth_account',
      fields: {
        accountId: 'account_id',
        providerId: 'provider_id',
        userId: 'user_id',
        accessToken: 'access_token',
        refreshToken: 'refresh_token',
        idToken: 'id_token',
        accessTokenExpiresAt: 'access_token_expires_at',
        refreshTokenExpiresAt: 'refresh_token_expires_at',
        createdAt: 'created_at',
        updatedAt: 'updated_at',
      },
    },
    verification: {
      modelName: 'auth_verification',
      fields: { expiresAt: 'expires_at', createdAt: 'created_at', updatedAt: 'updated_at' },
    },
    rateLimit: {
      enabled: true,
      storage: 'database',
      modelName: 'auth_rate_limit',
      fields: { lastRequest: 'last_request' },
      customRules: {
        '/sign-in/email': rule(config.rateLimit.signIn),
        '/sign-up/email': rule(config.rateLimit.signUp),
        // A reset token is as good as a password: guessing it is limited like guessing a password.
        '/reset-password': rule(config.rateLimit.signIn),
      },
    },
    advanced: {
      database: { generateId: 'uuid' },
      // better-auth skips its Origin (CSRF) check under test runners by default; tests must see production's.
      disableOriginCheck: false,
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER], trustedProxies: config.trustedProxies ?? [] },
    },
    plugins: [adminPlugin()],
  } satisfies BetterAuthOptions;
}
