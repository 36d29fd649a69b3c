/**
 * `berthd --metrics-addr HOST:PORT`: `GET /metrics` alone on a TCP address, for a Prometheus that
 * cannot reach the API's unix socket. It serves nothing else (no API, no credentials needed).
 */
import { createServer, type Server } from 'node:http';
import { errors, messageOf } from '../base/errors.js';
import type { NodeMetrics } from './node-metrics.js';

export interface MetricsServer {
  /** `http://host:port` it listens on (the port chosen when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

/** `host:port` or `[v6]:port`. Throws invalid-argument (`invalid-metrics-addr`) naming the flag. */
export function parseMetricsAddr(addr: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(addr);
  const port = Number(match?.[2]);
  if (match?.[1] === undefined || !(port >= 0 && port <= 65535)) {
    throw errors.invalidArgument('invalid-metrics-addr', `--metrics-addr ${JSON.stringify(addr)}: want HOST:PORT, such as 127.0.0.1:9323`);
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

function answer(server: Server, metrics: NodeMetrics): void {
  server.on('request', (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: only GET /metrics is served here\n');
      return;
    }
    metrics.text().then((text) => {
      response.writeHead(200, { 'content-type': metrics.contentType }).end(request.method === 'HEAD' ? undefined : text);
    }, (err: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(`gathering metrics failed: ${messageOf(err)}\n`);
    });
  });
}

/** Listens on `addr` (errors as parseMetricsAddr; unavailable `metrics-listen` when the address cannot be bound). */
export async function startMetricsServer(addr: string, metrics: NodeMetrics): Promise<MetricsServer> {
  const { host, port } = parseMetricsAddr(addr);
  const server = createServer();
  answer(server, metrics);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) => { reject(errors.unavailable('metrics-listen', `--metrics-addr ${addr}: ${messageOf(cause)}`, { cause })); });
    server.listen(port, host, () => { resolve(); });
  });
  const bound = server.address();
  const boundPort = typeof bound === 'object' && bound !== null ? bound.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => { resolve(); });
      server.closeAllConnections();
    }),
  };
}
