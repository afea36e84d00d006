import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/polaris.mjs', import.meta.url));

/** The environment a CLI child gets: only what the test sets, plus PATH and HOME. */
export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, POLARIS_ENV: 'test', LOG_LEVEL: 'warn', ...extra };
}

/** Runs `polaris <args>` to completion. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(env), timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `polaris start` in the background and waits until /api/health/ready answers 200. */
export async function startServer(env: Record<string, string>, port: number, timeoutMs = 60_000) {
  const child = spawn(process.execPath, [BIN, 'start'], { env: cliEnv({ ...env, PORT: String(port) }) });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  // The server's log (pino on stdout): read so its pipe never fills; its unhandled errors kept for the test.
  const errors: string[] = [];
  child.stdout.on('data', (d: Buffer) => {
    for (const line of String(d).split('\n'))
      if (/unhandled error/.test(line) && errors.length < 20) errors.push(line);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health/ready`);
      if (res.status === 200) return { child, exited, stderr: () => stderr, errorLogs: () => errors };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`server not ready within ${timeoutMs} ms: ${stderr}`);
}
