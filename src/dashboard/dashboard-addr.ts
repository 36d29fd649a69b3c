/**
 * `--dashboard-addr HOST:PORT` and the loopback rule: without TLS the dashboard listens only on a
 * loopback address (127.0.0.0/8, ::1, localhost), since a token sent in clear over a network is a
 * token given away. With a certificate and key (`--dashboard-tls-cert`, `--dashboard-tls-key`;
 * dashboard-tls.ts) it serves HTTPS only and may listen on any address.
 */
import { isIP } from 'node:net';
import { errors } from '../base/errors.js';

export interface DashboardAddr {
  host: string;
  port: number;
}

export interface DashboardAddrOptions {
  /** The dashboard serves HTTPS: every address is accepted, not only loopback. */
  tls?: boolean;
}

/** Whether `host` (no port, no brackets) names this machine's loopback interface. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost' || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/** An IP address in its canonical text (IPv6 compressed, lower case), or undefined when `host` is not an IP address. */
export function canonicalIp(host: string): string | undefined {
  const version = isIP(host);
  if (version === 4) return host;
  if (version !== 6) return undefined;
  // A zone (`fe80::1%eth0`) is kept as it is: URL does not parse it.
  return URL.canParse(`http://[${host}]/`) ? new URL(`http://[${host}]/`).hostname.replace(/^\[|\]$/g, '') : host.toLowerCase();
}

/** Whether `host` is the address of every interface (0.0.0.0, ::), which names no one host. */
export function isWildcardHost(host: string): boolean {
  const ip = canonicalIp(host);
  return ip === '0.0.0.0' || ip === '::';
}

/**
 * `host:port` or `[v6]:port`, on loopback unless `options.tls`. Throws invalid-argument:
 * `invalid-dashboard-addr` for a malformed value, `dashboard-not-loopback` for an address other
 * hosts could reach when the dashboard has no TLS.
 */
export function parseDashboardAddr(addr: string, options: DashboardAddrOptions = {}): DashboardAddr {
  const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(addr);
  const port = Number(match?.[2]);
  if (match?.[1] === undefined || !(port >= 0 && port <= 65535)) {
    throw errors.invalidArgument('invalid-dashboard-addr', `--dashboard-addr ${JSON.stringify(addr)}: want HOST:PORT, such as 127.0.0.1:9330`);
  }
  const host = match[1].replace(/^\[|\]$/g, '');
  if (options.tls !== true && !isLoopbackHost(host)) {
    throw errors.invalidArgument('dashboard-not-loopback', `--dashboard-addr ${addr}: without TLS the dashboard serves only loopback addresses (127.0.0.1, ::1, localhost); give --dashboard-tls-cert and --dashboard-tls-key to serve HTTPS on this address, or reach it from elsewhere through an SSH tunnel`);
  }
  return { host, port };
}

/** The Host header's host part (`127.0.0.1:9330` → `127.0.0.1`, `[::1]:9330` → `::1`), or undefined when malformed. */
export function hostOfHeader(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::\d{1,5})?$/.exec(header);
  return match?.[1]?.replace(/^\[|\]$/g, '');
}
