// A loopback load generator in its own process, so the server under test keeps a core to itself.
// Input (argv[2], JSON): { port, path, method?, headers?, body?, signature?, connections, durationMs, eventIds? }.
// Output (stdout, JSON): { perSecond, p50, p99, failures }. Only ever targets 127.0.0.1; stops by itself.
import { Agent, request } from 'node:http';

const cfg = JSON.parse(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: cfg.connections });
const latencies = [];
let failures = 0;
let seq = 0;
const prefix = `b${process.pid.toString(36)}`;

const once = () =>
  new Promise((done, fail) => {
    const started = performance.now();
    const req = request(
      {
        agent,
        port: cfg.port,
        host: '127.0.0.1',
        path: cfg.path,
        method: cfg.method ?? 'POST',
        headers: {
          ...(cfg.headers ?? {}),
          ...(cfg.signature
            ? {
                'content-type': 'application/json',
                'x-razorpay-signature': cfg.signature,
                'x-razorpay-event-id': cfg.eventIds
                  ? `${prefix}${(seq++).toString(36).padStart(8, '0')}`
                  : 'bench',
              }
            : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - started);
          done(res.statusCode ?? 0);
        });
      },
    );
    req.on('error', fail);
    req.end(cfg.body ?? undefined);
  });

const started = performance.now();
const deadline = started + cfg.durationMs;
await Promise.all(
  Array.from({ length: cfg.connections }, async () => {
    while (performance.now() < deadline) if ((await once()) !== 200) failures += 1;
  }),
);
const seconds = (performance.now() - started) / 1000;
agent.destroy();
latencies.sort((a, b) => a - b);
const pct = (p) => Math.round((latencies[Math.floor((latencies.length - 1) * p)] ?? 0) * 100) / 100;
process.stdout.write(
  JSON.stringify({
    perSecond: Math.round(latencies.length / seconds),
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
    failures,
  }),
);
