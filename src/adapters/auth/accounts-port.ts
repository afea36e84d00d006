/** A signed-in session as better-auth resolved it from the request's cookie. */
export type SessionInfo = {
  sessionId: string;
  userId: string;
  email: string;
  expiresAt: Date;
  /** Banned through the admin plugin (and the ban has not expired). */
  banned: boolean;
};

/** What creating an account needs; the role is the profile's ('user' | 'admin'). */
export type NewAccount = { email: string; password: string; name: string; role: 'user' | 'admin' };

/** Accounts as services and routes see them (implemented by adapters/auth/accounts.ts over better-auth). */
export interface AccountsPort {
  /**
   * better-auth's own routes under /api/auth: a Fetch request in, a response out. `clientIp` is the
   * connection's address, which its rate limits key on. A refusal throws AppError with our code.
   * `holdWrites` (read-only is on): reading a session does not refresh its row.
   */
  handle(
    request: Request,
    options?: { clientIp?: string | undefined; holdWrites?: boolean },
  ): Promise<Response>;
  /**
   * The live session named by the request's cookie, or null (none, expired, revoked); with
   * `holdWrites` (read-only is on) its row is not refreshed.
   */
  getSession(headers: Headers, options?: { holdWrites?: boolean }): Promise<SessionInfo | null>;
  /**
   * Creates the auth user, its password credential and (by trigger) its one user_profiles row in
   * one transaction; throws AppError 'conflict' for a taken email, 'bad_request' for a bad one.
   */
  createUser(input: NewAccount): Promise<{ userId: string; email: string }>;
  /**
   * Issues a single-use password-reset token for this account (better-auth's own flow, stored in
   * auth_verification); AppError 'not_found' when no account has the email.
   */
  issuePasswordReset(email: string): Promise<{ token: string; expiresAt: Date }>;
  /** Constant-time check of a presented `Authorization: Bearer` token against ADMIN_TOKEN. */
  isAdminToken(presented: string): boolean;
}
