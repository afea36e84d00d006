import http from 'node:http';
import https from 'node:https';

/** The outcome of one HTTP attempt: a status, or an error when no response came in time. */
export type SendOutcome = { status: number | null; error: string | null };

/** Sends one delivery: POST `body` with `headers`, giving up after `timeoutMs`. */
export type Sender = (
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs: number,
) => Promise<SendOutcome>;

/** A sender on node:http with keep-alive agents, so a fast receiver sees hundreds of deliveries a second. */
export function createHttpSender(): Sender & { close(): void } {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  const send: Sender = (url, body, headers, timeoutMs) =>
    new Promise((resolve) => {
      let settled = false;
      const done = (outcome: SendOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        resolve({ status: null, error: 'invalid url' });
        return;
      }
      const lib = target.protocol === 'https:' ? https : http;
      const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
      const req = lib.request(
        target,
        { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => done({ status: res.statusCode ?? null, error: null }));
          res.on('error', (err) => done({ status: res.statusCode ?? null, error: err.message }));
          res.on('close', () =>
            done({ status: res.statusCode ?? null, error: res.complete ? null : 'response aborted' }),
          );
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new Error(`timeout after ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('error', (err) => done({ status: null, error: err.message }));
      req.end(body);
    });
  return Object.assign(send, {
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  });
}
