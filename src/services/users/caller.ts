/** Who is asking: a signed-in user (role from user_profiles) or the ADMIN_TOKEN holder. */
export type Caller = { userId: string; role: 'user' | 'admin'; email: string };

/**
 * The caller an `Authorization: Bearer $ADMIN_TOKEN` request acts as. It has no profile: the nil
 * UUID matches no user's rows, and audit rows name it by its email field.
 */
export const ADMIN_TOKEN_CALLER: Caller = Object.freeze({
  userId: '00000000-0000-0000-0000-000000000000',
  role: 'admin',
  email: 'admin-token',
});
