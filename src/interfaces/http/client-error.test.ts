import type { Server } from 'node:http';
import { connect } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../../../test/support/context.ts';
import { createHttpApp } from './app.ts';
import { answerClientErrors } from './client-error.ts';

/** Sends raw bytes and resolves with everything the server answers before it closes the connection. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(answer));
    socket.write(bytes);
  });
}

function parse(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), head: head.toLowerCase(), json: JSON.parse(body) };
}

describe("Node's own refusals (malformed request, oversized headers)", () => {
  const { log, lines } = captureLogger();
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    const app = createHttpApp({ log, readiness: async () => ({ ok: true, checks: {} }) });
    server = createAdaptorServer({ fetch: app.fetch }) as Server;
    answerClientErrors(server, log);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('answers a malformed request with a JSON 400 in our error shape, with a request id it logs', async () => {
    const { status, head, json } = parse(await raw(port, 'NOT HTTP AT ALL\r\n\r\n'));
    expect(status).toBe(400);
    expect(head).toContain('content-type: application/json');
    expect(json).toEqual({
      error: { code: 'bad_request', message: 'the request is not valid HTTP', requestId: expect.any(String) },
    });
    expect(head).toContain(`x-request-id: ${json.error.requestId}`);
    expect(lines.some((l) => l.includes(json.error.requestId))).toBe(true);
  });

  it('answers oversized headers with a JSON 431', async () => {
    const answer = await raw(
      port,
      `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(64 * 1024)}\r\n\r\n`,
    );
    const { status, json } = parse(answer);
    expect(status).toBe(431);
    expect(json.error).toMatchObject({
      code: 'headers_too_large',
      message: 'the request headers are too large',
    });
  });

  it('still serves well-formed requests', async () => {
    const answer = await raw(port, 'GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer.startsWith('HTTP/1.1 200')).toBe(true);
  });
});
