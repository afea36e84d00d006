import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '../domain/errors.ts';
import { defaultPolicy, type LoadedPolicy, parsePolicy } from '../domain/policy.ts';

/**
 * Reads and validates the policy file. A missing file gives the built-in defaults unless
 * POLICY_FILE named it; anything unreadable or invalid is AppError bad_request naming the field.
 */
export function loadPolicyFile(file: { path: string; explicit: boolean }): LoadedPolicy {
  const name = basename(file.path);
  let text: string;
  try {
    text = readFileSync(file.path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !file.explicit) {
      return { policy: defaultPolicy(), source: `built-in defaults (no ${file.path})` };
    }
    throw new AppError('bad_request', `policy file ${file.path} (POLICY_FILE): cannot read it`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', `${name}: not valid JSON`);
  }
  const parsed = parsePolicy(value);
  if (!parsed.ok) throw new AppError('bad_request', `${name}: ${parsed.error}`);
  return { policy: parsed.policy, source: file.path };
}
