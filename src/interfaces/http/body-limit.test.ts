import type { Server } from 'node:http';
import { connect } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/logger.ts';
import { createHttpApp } from './app.ts';
import { allowBodyUpTo, DEFAULT_BODY_LIMIT } from './body-limit.ts';

const app = createHttpApp({
  log: createLogger('silent'),
  readiness: async () => ({ ok: true, checks: {} }),
  routes: [
    (a) => {
      a.post('/api/echo', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
      allowBodyUpTo(a, '/api/big', 128 * 1024);
      a.post('/api/big', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
    },
  ],
});

let server: Server;
let port = 0;

/** Sends raw bytes on one connection and resolves with the whole response text once the server closes or answers. */
function exchange(
  head: string,
  feed?: (write: (chunk: Buffer) => boolean) => Promise<number>,
): Promise<{ response: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    let sent = 0;
    let answered = false;
    socket.on('data', (d) => {
      response += d;
      answered = true;
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve({ response, sent }));
    socket.write(head);
    if (feed) {
      feed((chunk) => {
        if (answered || socket.destroyed) return false;
        socket.write(chunk);
        sent += chunk.length;
        return true;
      }).then(
        () => socket.end(),
        (e) => reject(e),
      );
    }
  });
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);
const bodyOf = (response: string) =>
  JSON.parse(
    response
      .slice(response.indexOf('\r\n\r\n') + 4)
      .trim()
      .split('\r\n')
      .filter((l) => l.startsWith('{'))
      .join(''),
  );

describe('request body limits', () => {
  beforeAll(async () => {
    server = createAdaptorServer({ fetch: app.fetch }) as Server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('answers 413 in our JSON shape to a declared 200 MB body before a byte of it is sent', async () => {
    const { response } = await exchange(
      `POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${200 * 1024 * 1024}\r\n\r\n`,
    );
    expect(statusOf(response)).toBe(413);
    expect(response.toLowerCase()).toContain('connection: close');
    expect(bodyOf(response)).toMatchObject({
      error: { code: 'payload_too_large', message: 'the request body exceeds 64 KiB' },
    });
  });

  it('stops reading a chunked body at the limit and answers 413, without taking the rest', async () => {
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const { response, sent } = await exchange(
      'POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      async (write) => {
        for (let i = 0; i < 640; i++) {
          if (
            !write(
              Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]),
            )
          )
            return i;
          await new Promise((r) => setImmediate(r));
        }
        return 640;
      },
    );
    expect(statusOf(response)).toBe(413);
    expect(bodyOf(response).error.code).toBe('payload_too_large');
    // 640 chunks would be 10 MiB; the server answered, so the client stopped long before.
    expect(sent).toBeLessThan(10 * 1024 * 1024);
  });

  it('passes bodies within the limit, declared or chunked, to the route whole', async () => {
    const body = 'b'.repeat(DEFAULT_BODY_LIMIT);
    const declared = await exchange(
      `POST /api/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(statusOf(declared.response)).toBe(200);
    expect(bodyOf(declared.response)).toEqual({ bytes: DEFAULT_BODY_LIMIT });
    const chunked = await exchange(
      `POST /api/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n${(1000).toString(16)}\r\n${'c'.repeat(1000)}\r\n0\r\n\r\n`,
    );
    expect(statusOf(chunked.response)).toBe(200);
    expect(bodyOf(chunked.response)).toEqual({ bytes: 1000 });
  });

  it('holds a route that allows more to its own limit', async () => {
    const ok = await app.request('/api/big', { method: 'POST', body: 'x'.repeat(100 * 1024) });
    expect(ok.status).toBe(200);
    const refused = await app.request('/api/big', { method: 'POST', body: 'x'.repeat(129 * 1024) });
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({
      error: { code: 'payload_too_large', message: 'the request body exceeds 128 KiB' },
    });
    const other = await app.request('/api/echo', {
      method: 'POST',
      body: 'x'.repeat(DEFAULT_BODY_LIMIT + 1),
    });
    expect(other.status).toBe(413);
  });
});
