import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import type { AppEnv } from './env.ts';

/** The connection's own address (never a header a client could set); absent for in-process requests. */
export function clientAddress(c: Context<AppEnv>): string | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress;
}

/** A matcher for TRUSTED_PROXIES (addresses or CIDR ranges, validated by src/config.ts). */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address: the connection's, or, when it is a trusted proxy, the rightmost
 * X-Forwarded-For hop that is not one (a client cannot name itself by prepending hops).
 */
export function clientIp(c: Context<AppEnv>, trusted: BlockList): string | null {
  const peer = clientAddress(c);
  if (peer === undefined) return null;
  if (!isTrusted(trusted, peer)) return peer;
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i] as string;
    if (!isTrusted(trusted, hop)) return hop;
  }
  return peer;
}

/** Whether the connection comes from this machine (127.0.0.0/8 or ::1, IPv4-mapped included). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
