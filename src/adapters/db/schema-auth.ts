import type { ColumnType, Generated, Selectable } from 'kysely';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** better-auth's users (migrations/0002_accounts); role mirrors user_profiles.role. */
export interface AuthUserTable {
  id: Generated<string>;
  name: string;
  email: string;
  email_verified: Generated<boolean>;
  image: string | null;
  role: Generated<'user' | 'admin'>;
  banned: Generated<boolean>;
  ban_reason: string | null;
  ban_expires: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** One signed-in browser; the cookie carries the signed token. */
export interface AuthSessionTable {
  id: Generated<string>;
  user_id: string;
  token: string;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  ip_address: string | null;
  user_agent: string | null;
  impersonated_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A way to sign in; provider 'credential' holds the scrypt password hash. */
export interface AuthAccountTable {
  id: Generated<string>;
  user_id: string;
  account_id: string;
  provider_id: string;
  access_token: string | null;
  refresh_token: string | null;
  id_token: string | null;
  access_token_expires_at: NullableTimestamp;
  refresh_token_expires_at: NullableTimestamp;
  scope: string | null;
  password: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Short-lived tokens (password reset, email verification). */
export interface AuthVerificationTable {
  id: Generated<string>;
  identifier: string;
  value: string;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** better-auth's rate limiter counters. */
export interface AuthRateLimitTable {
  id: Generated<string>;
  key: string;
  count: number;
  last_request: ColumnType<string, number | string, number | string>;
}

/** The auth tables Kysely knows; Database in schema.ts extends this. */
export interface AuthDatabase {
  auth_user: AuthUserTable;
  auth_session: AuthSessionTable;
  auth_account: AuthAccountTable;
  auth_verification: AuthVerificationTable;
  auth_rate_limit: AuthRateLimitTable;
}

export type AuthUser = Selectable<AuthUserTable>;
