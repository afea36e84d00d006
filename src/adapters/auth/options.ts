import type { BetterAuthOptions } from 'better-auth';
import { admin } from 'better-auth/plugins/admin';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** What the auth instance is built from; every value comes from the parsed configuration. */
export type AuthConfig = {
  db: Kysely<Database>;
  /** Signs session cookies; AUTH_SECRET, generated per data folder in development. */
  secret: string;
  /** PUBLIC_BASE_URL: the origin browsers use, trusted for cookie-carrying POSTs. */
  baseUrl: string;
  /** Turns on better-auth's rate limiter (kept in the database, so it holds across instances). */
  rateLimit?: boolean;
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
    emailAndPassword: { enabled: true, minPasswordLength: MIN_PASSWORD_LENGTH, autoSignIn: true },
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
      enabled: config.rateLimit ?? false,
      storage: 'database',
      modelName: 'auth_rate_limit',
      fields: { lastRequest: 'last_request' },
    },
    // better-auth skips its Origin (CSRF) check under test runners by default; tests must see production's.
    advanced: { database: { generateId: 'uuid' }, disableOriginCheck: false },
    plugins: [adminPlugin()],
  } satisfies BetterAuthOptions;
}
