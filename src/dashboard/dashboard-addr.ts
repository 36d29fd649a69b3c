/**
 * `--dashboard-addr HOST:PORT` and the loopback rule: the dashboard listens only on a loopback
 * address (127.0.0.0/8, ::1, localhost). It has no TLS of its own, and a token sent in clear over a
 * network is a token given away, so any other address is refused until the dashboard serves TLS.
 */
import { isIP } from 'node:net';
import { errors } from '../base/errors.js';

export interface DashboardAddr {
  host: string;
  port: number;
}

/** Whether `host` (no port, no brackets) names this machine's loopback interface. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost' || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/**
 * `host:port` or `[v6]:port` on loopback. Throws invalid-argument: `invalid-dashboard-addr` for a
 * malformed value, `dashboard-not-loopback` for an address other hosts could reach.
 */
export function parseDashboardAddr(addr: string): DashboardAddr {
  const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(addr);
  const port = Number(match?.[2]);
  if (match?.[1] === undefined || !(port >= 0 && port <= 65535)) {
    throw errors.invalidArgument('invalid-dashboard-addr', `--dashboard-addr ${JSON.stringify(addr)}: want HOST:PORT, such as 127.0.0.1:9330`);
  }
  const host = match[1].replace(/^\[|\]$/g, '');
  if (!isLoopbackHost(host)) {
    throw errors.invalidArgument('dashboard-not-loopback', `--dashboard-addr ${addr}: the dashboard serves only loopback addresses (127.0.0.1, ::1, localhost); reach it from elsewhere through an SSH tunnel`);
  }
  return { host, port };
}

/** The Host header's host part (`127.0.0.1:9330` → `127.0.0.1`, `[::1]:9330` → `::1`), or undefined when malformed. */
export function hostOfHeader(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::\d{1,5})?$/.exec(header);
  return match?.[1]?.replace(/^\[|\]$/g, '');
}
