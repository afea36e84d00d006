import { userInfo } from 'node:os';

/** The audit actor of a CLI command: `cli:<os user>` (the uid when the user has no name). */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return `cli:uid-${process.getuid?.() ?? 'unknown'}`;
  }
}
