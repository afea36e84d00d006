import { randomUUID } from 'node:crypto';
import { type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../adapters/logger.ts';
import type { ErrorCode } from '../../domain/errors.ts';
import { codeToStatus, errorBody } from './errors.ts';

function classify(error: NodeJS.ErrnoException): [ErrorCode, string] {
  if (error.code === 'HPE_HEADER_OVERFLOW') return ['headers_too_large', 'the request headers are too large'];
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return ['request_timeout', 'the request took too long to arrive'];
  return ['bad_request', 'the request is not valid HTTP'];
}

/**
 * Answers what Node's HTTP parser refuses before any route runs (malformed requests, oversized
 * headers, slow requests) in our JSON error shape instead of Node's bare 400 or 431.
 */
export function answerClientErrors(server: Server, log: Logger): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (error.code === 'ECONNRESET' || !socket.writable || started) {
      socket.destroy();
      return;
    }
    const [code, message] = classify(error);
    const requestId = randomUUID();
    log.warn({ requestId, code: error.code }, `client error: ${message}`);
    const body = errorBody(code, message, requestId);
    const status = codeToStatus[code];
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
