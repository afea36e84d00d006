import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';

/** The shortest password Polaris accepts (better-auth's sign-up enforces the same minimum). */
export const MIN_PASSWORD_LENGTH = 10;

/** What `polaris users create` (and the demo accounts) ask for. */
export const CreateUserInput = z.object({
  email: z.email().transform((e) => e.toLowerCase()),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(128).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(['user', 'admin']).default('user'),
  /** Who asks, for the audit log: `cli:<os user>`, 'dev-seed', or an admin's email. */
  actor: z.string().min(1),
});
export type CreateUserInput = z.input<typeof CreateUserInput>;

/** The created account; `password` is set only when Polaris generated it (print it once). */
export type CreatedUser = {
  userId: string;
  email: string;
  role: 'user' | 'admin';
  generatedPassword: string | null;
};

/** A random 24-character password (144 bits) from the URL-safe alphabet. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Creates an account: better-auth user, password credential and its user_profiles row (tier free)
 * in one transaction, then an audit row. A taken email is AppError 'conflict'.
 */
export async function createUser({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: CreateUserInput;
}): Promise<CreatedUser> {
  const parsed = CreateUserInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'input';
    const detail =
      field === 'password'
        ? `must be ${MIN_PASSWORD_LENGTH} to 128 characters`
        : (issue?.message ?? 'invalid');
    throw new AppError('bad_request', `${field}: ${detail}`);
  }
  const { email, role, actor } = parsed.data;
  const password = parsed.data.password ?? generatePassword();
  const name = parsed.data.name ?? email.slice(0, email.indexOf('@'));
  const created = await ctx.accounts.createUser({ email, password, name, role });
  // better-auth commits its own transaction; the audit row follows it (an orphan-free order).
  await ctx.repos.audit.record({
    actor,
    action: 'user.create',
    target: created.userId,
    details: { email: created.email, role },
  });
  ctx.log.info({ userId: created.userId, role, actor }, 'account created');
  return {
    userId: created.userId,
    email: created.email,
    role,
    generatedPassword: parsed.data.password === undefined ? password : null,
  };
}
