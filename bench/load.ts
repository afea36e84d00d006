import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What bench/load-generator.mjs takes: a loopback target, a request, a connection count and a duration. */
export type LoadConfig = {
  port: number;
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signature?: string;
  eventIds?: boolean;
  connections: number;
  durationMs: number;
};

/** Runs the load generator in its own process (so it does not share the server's event loop); every answer must be 200. */
export async function runLoad(
  config: LoadConfig,
): Promise<{ perSecond: number; p50: number; p95: number; p99: number }> {
  const generator = fileURLToPath(new URL('./load-generator.mjs', import.meta.url));
  const child = spawn(process.execPath, [generator, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`load generator exited ${code}`);
  const result = JSON.parse(out) as {
    perSecond: number;
    p50: number;
    p95: number;
    p99: number;
    failures: number;
  };
  if (result.failures > 0)
    throw new Error(`${result.failures} requests to ${config.path} were not answered 200`);
  return result;
}
