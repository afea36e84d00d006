import { AppError, type ErrorCode } from '../../domain/errors.ts';

/** Exit codes of DESIGN §9: 0 ok, 1 a check failed, 2 could not run. */
export const EXIT = { ok: 0, checkFailed: 1, couldNotRun: 2 } as const;

/** The one place error codes become exit codes. */
const codeToExit: Record<ErrorCode, number> = {
  bad_request: EXIT.couldNotRun,
  unauthorized: EXIT.couldNotRun,
  forbidden: EXIT.couldNotRun,
  account_disabled: EXIT.couldNotRun,
  password_reset_required: EXIT.couldNotRun,
  not_found: EXIT.couldNotRun,
  method_not_allowed: EXIT.couldNotRun,
  conflict: EXIT.couldNotRun,
  payload_too_large: EXIT.couldNotRun,
  headers_too_large: EXIT.couldNotRun,
  request_timeout: EXIT.couldNotRun,
  rate_limited: EXIT.couldNotRun,
  unavailable: EXIT.couldNotRun,
  database_unavailable: EXIT.couldNotRun,
  migration_failed: EXIT.couldNotRun,
  payments_disabled: EXIT.couldNotRun,
  maintenance: EXIT.couldNotRun,
  read_only: EXIT.couldNotRun,
  internal: EXIT.couldNotRun,
};

/** Thrown by commands to stop with a given exit code after their output is written. */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Writes a command's result: JSON for scripts, the text lines for people. */
export function emit(json: boolean, value: unknown, text: () => string[]): void {
  if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else for (const line of text()) process.stdout.write(`${line}\n`);
}

/** Reports a failure on one line (or as JSON) and returns the exit code for it. */
export function reportFailure(json: boolean, error: unknown): number {
  if (error instanceof CliExit) return error.code;
  const appError = error instanceof AppError ? error : undefined;
  const message = appError?.message ?? (error instanceof Error ? error.message : String(error));
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ ok: false, error: { code: appError?.code ?? 'internal', message } })}\n`,
    );
  } else {
    process.stderr.write(`polaris: ${message}\n`);
  }
  return appError ? codeToExit[appError.code] : EXIT.couldNotRun;
}
