/**
 * The API over TCP with TLS (`berthd --tls-addr`), as dockerd's `--tlsverify`: the same fastify
 * routes and hijacked routes as the socket, on an https server that asks every client for a
 * certificate of berthd's CA. A client without one is let through the handshake only so that a
 * bearer token can identify it; the access hooks answer 401 otherwise. Closed with the app.
 */
import { createServer, type Server } from 'node:https';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../base/errors.js';
import type { UpgradeRouter } from '../hijack/upgrade-router.js';

export interface TlsListenerOptions {
  /** `host:port`; port 0 picks a free one. */
  addr: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** `127.0.0.1:2376`, `[::1]:2376` → host and port; invalid-argument otherwise. */
export function parseListenAddress(addr: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(addr);
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (host === undefined || !(port >= 0 && port <= 65535)) throw errors.invalidArgument('invalid-address', `--tls-addr ${addr}: want host:port`);
  return { host, port };
}

/**
 * The listener of `app` (call before `app.listen`: it registers closing with the app); its
 * `listen` (after `app.listen`) resolves once the address is bound.
 */
export function tlsListener(app: FastifyInstance, upgrades: UpgradeRouter, options: TlsListenerOptions): { server: Server; listen: () => Promise<void> } {
  const { host, port } = parseListenAddress(options.addr);
  const server = createServer({
    key: options.keyPem, cert: options.certPem, ca: options.caPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2',
    // A hijacked attach or exec whose client half-closes (docker without -i: TLS close_notify)
    // still gets the container's output, as over the unix socket.
    allowHalfOpen: true,
  }, (request, response) => { app.routing(request, response); });
  upgrades.install(server);
  app.addHook('onClose', async () => {
    if (!server.listening) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
  });
  const listen = (): Promise<void> => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  return { server, listen };
}
