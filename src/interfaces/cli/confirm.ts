import { CliExit, EXIT, emit } from './output.ts';

/**
 * A destructive command run without --yes: prints what it would do (text, or JSON with the error),
 * says how to confirm on stderr, and stops with exit 2 having changed nothing.
 */
export function refuseUnconfirmed(json: boolean, value: object, lines: string[], action: string): never {
  const message = `${action}; run again with --yes to confirm`;
  emit(json, { ok: false, ...value, error: { code: 'bad_request', message } }, () => lines);
  if (!json) process.stderr.write(`polaris: ${message}\n`);
  throw new CliExit(EXIT.couldNotRun);
}
