import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The keys every emulator test uses. */
export const TEST_KEYS = {
  keyId: 'rzp_test_EmuLat0rKey0001',
  keySecret: 'emulator_test_secret_0001',
} as const;

/** An Authorization header for Basic auth. */
export function basicAuth(keyId: string = TEST_KEYS.keyId, keySecret: string = TEST_KEYS.keySecret): string {
  return `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`;
}

/** One request a receiver saw: the raw bytes and headers, and when it arrived (ms). */
export type Received = { body: Buffer; headers: IncomingMessage['headers']; atMs: number; path: string };

/** How a receiver answers a request: a status, or `hang` / `reset` to misbehave. */
export type Behaviour = (r: Received, index: number) => number | 'hang' | 'reset';

/** A local HTTP server that records webhook deliveries; behaviour can change while it runs. */
export async function startReceiver(behaviour: Behaviour = () => 200) {
  const received: Received[] = [];
  let current = behaviour;
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        body: Buffer.concat(chunks),
        headers: req.headers,
        atMs: performance.now(),
        path: req.url ?? '/',
      };
      received.push(r);
      const answer = current(r, received.length - 1);
      if (answer === 'hang') hanging.add(res);
      else if (answer === 'reset') req.socket.destroy();
      else res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    setBehaviour(next: Behaviour) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
