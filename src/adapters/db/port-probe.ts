import { createServer } from 'node:net';

/** True when nothing listens on host:port (we could bind it a moment ago). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A loopback port that was free a moment ago, picked at random in [from, from + span). */
export async function findFreePort(from = 30_000, span = 20_000): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = from + Math.floor(Math.random() * span);
    if (await isPortFree(port)) return port;
  }
  throw new Error(`no free port found in ${from}-${from + span}`);
}
