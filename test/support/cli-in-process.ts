import { runProgram } from '../../src/interfaces/cli/program.ts';
import type { CliRuntime } from '../../src/interfaces/cli/runtime.ts';
import type { ServiceContext } from '../../src/services/context.ts';

/**
 * Runs `polaris <args>` in this process against a test context (the command tree, output and exit
 * codes as the bin has them, without a process start per case); stdout and stderr are captured.
 * `extra` adds runtime ports the composition root would wire (e.g. backupBeforeRollback).
 */
export async function runCliWith(ctx: ServiceContext, args: string[], extra: Partial<CliRuntime> = {}) {
  const runtime = {
    withContext: (work) => work(ctx),
    databaseUrl: () => ({ url: 'in-process' }),
    ...extra,
  } as Partial<CliRuntime> as CliRuntime;
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((chunk: string) => {
    stdout += chunk;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => {
    stderr += chunk;
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await runProgram(runtime, args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
