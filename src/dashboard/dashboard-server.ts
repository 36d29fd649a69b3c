/**
 * `berthd --dashboard-addr 127.0.0.1:PORT`: the web dashboard. An HTTP server on loopback, or an
 * HTTPS server on any address when given a certificate and key (dashboard-tls.ts), that serves its
 * pages (static-files.ts) and an API (dashboard-routes.ts) which it answers by calling berthd over
 * the API socket, as every client does (client/). Every request is authorized first
 * (dashboard-auth.ts): the Host it addresses, then the state root's token (dashboard-token.ts)
 * through the login URL's cookie or a bearer header. The login URL is left in
 * `<root>/dashboard/login-url` for `berth dashboard url`.
 */
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../base/atomic-file.js';
import { errors, isBerthError, messageOf } from '../base/errors.js';
import { HTTP_STATUS_OF_KIND } from '../base/error-status.js';
import { BerthClient } from '../client/berth-client.js';
import { dashboardLoginPath } from '../client/dashboard-login.js';
import { parseDashboardAddr } from './dashboard-addr.js';
import { authorize, LOOPBACK_SITE, type DashboardSite } from './dashboard-auth.js';
import { matchRoute, type UpstreamCall } from './dashboard-routes.js';
import { checkDashboardTls, hostsServedWith, urlHostWith, type DashboardTls } from './dashboard-tls.js';
import { openDashboardToken, type DashboardToken, type TokenFileOptions } from './dashboard-token.js';
import { OverviewGatherer } from './overview-sources.js';
import { readStatic } from './static-files.js';
import { streamEvents, streamLogs, streamStats } from './dashboard-streams.js';

export interface DashboardOptions extends TokenFileOptions {
  /** `--dashboard-addr` (loopback only without `tls`; see dashboard-addr.ts). */
  addr: string;
  /**
   * Serve HTTPS only, with this certificate and key (PEM texts, not paths: daemon/dashboard-flags.ts
   * reads berthd's files); then `addr` may be any address (dashboard-tls.ts).
   */
  tls?: DashboardTls;
  /** The state root: its token, and where the login URL is left. */
  root: string;
  /** berthd's API socket. */
  socketPath: string;
  /** Where failures of a request are reported (they also go to the browser). */
  log: (message: string) => void;
}

export interface DashboardServer {
  /** `http://host:port`, or `https://` with TLS (the port chosen when 0 was asked for; the host as dashboard-tls.ts's urlHostWith chooses it). */
  readonly url: string;
  /** `url` + `/login?token=…`. */
  readonly loginUrl: string;
  close(): Promise<void>;
}

/** Headers of every answer: no caching, no framing (the action buttons), no sniffing, no referrer (the login URL). */
const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function sendError(response: ServerResponse, err: unknown, api: boolean): void {
  const status = isBerthError(err) ? HTTP_STATUS_OF_KIND[err.kind] : 500;
  const reason = isBerthError(err) ? err.reason : 'internal';
  if (response.headersSent) {
    response.end();
    return;
  }
  if (api) sendJson(response, status, { message: messageOf(err), reason });
  else response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${status}: ${messageOf(err)}\n`);
}

/** One berthd call, its answer passed on: JSON bodies as they are, 204 empty, 304 ("already so") as `{"changed":false}`. */
async function proxy(client: BerthClient, call: UpstreamCall, response: ServerResponse): Promise<void> {
  const answer = await client.transport.call(call.method, call.path, call.query === undefined ? {} : { query: call.query });
  if (answer.status === 304) sendJson(response, 200, { changed: false });
  else if (answer.body.length === 0) response.writeHead(204).end();
  else response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' }).end(answer.body);
}

async function answerApi(client: BerthClient, overview: OverviewGatherer, url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const match = matchRoute(request.method ?? 'GET', url.pathname);
  if (match.kind !== 'route') {
    if (match.kind === 'not-found') throw errors.notFound('no-such-route', match.message);
    if (match.kind === 'bad-parameter') throw errors.invalidArgument('bad-parameter', match.message);
    sendJson(response, 405, { message: match.message, reason: 'method-not-allowed' });
    return;
  }
  const { route, params } = match;
  const id = params.id ?? '';
  switch (route.target.kind) {
    case 'proxy': return proxy(client, route.target.upstream(params), response);
    case 'overview':
      sendJson(response, 200, await overview.gather());
      return;
    case 'events': return streamEvents(client, request, response);
    case 'stats': return streamStats(client, id, request, response);
    case 'logs': {
      const tail = url.searchParams.get('tail') ?? '200';
      if (!/^(\d{1,6}|all)$/.test(tail)) throw errors.invalidArgument('bad-parameter', `tail: ${tail} is not a number of lines or all`);
      return streamLogs(client, id, tail, request, response);
    }
  }
}

async function answer(client: BerthClient, overview: OverviewGatherer, token: DashboardToken, site: DashboardSite, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
  const api = url.pathname.startsWith('/api/');
  const decision = authorize({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: request.headers }, token, site);
  if (decision.kind === 'deny') {
    if (api) sendJson(response, decision.status, { message: decision.message, reason: decision.reason });
    else response.writeHead(decision.status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${decision.status}: ${decision.message}\n`);
    return;
  }
  if (decision.kind === 'login') {
    response.writeHead(303, { 'set-cookie': decision.setCookie, location: decision.location }).end();
    return;
  }
  if (api) return answerApi(client, overview, url, request, response);
  if (request.method !== 'GET' && request.method !== 'HEAD') throw errors.notFound('no-such-page', `${request.method ?? ''} ${url.pathname}: pages are only read`);
  const file = await readStatic(url.pathname);
  if (file === undefined) throw errors.notFound('no-such-page', `${url.pathname}: no such page`);
  response.writeHead(200, { 'content-type': file.type }).end(request.method === 'HEAD' ? undefined : file.body);
}

/**
 * Listens on `addr` (HTTPS only when `tls` is given) and leaves the login URL for the CLI. Throws
 * invalid-argument for an address that is malformed, or not loopback without `tls`, and for a
 * certificate and key that do not make a pair (dashboard-tls.ts), before anything listens;
 * unavailable (`dashboard-listen`) when the address cannot be bound.
 */
export async function startDashboard(options: DashboardOptions): Promise<DashboardServer> {
  const { host, port } = parseDashboardAddr(options.addr, { tls: options.tls !== undefined });
  const cert = options.tls === undefined ? undefined : checkDashboardTls(options.tls);
  const site: DashboardSite = cert === undefined ? LOOPBACK_SITE : { secure: true, allowsHost: hostsServedWith(host, cert) };
  const token = await openDashboardToken(options.root, options);
  const client = new BerthClient(resolve(options.socketPath));
  const overview = new OverviewGatherer(client);
  const listener: RequestListener = (request, response) => {
    answer(client, overview, token, site, request, response).catch((err: unknown) => {
      if (!isBerthError(err) || HTTP_STATUS_OF_KIND[err.kind] >= 500) options.log(`dashboard: ${request.method ?? ''} ${request.url?.split('?')[0] ?? ''}: ${messageOf(err)}`);
      sendError(response, err, (request.url ?? '').startsWith('/api/'));
    });
  };
  const server: Server = options.tls === undefined ? createHttpServer(listener) : createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (cause) => { reject(errors.unavailable('dashboard-listen', `--dashboard-addr ${options.addr}: ${messageOf(cause)}`, { cause })); });
    server.listen(port, host, () => { resolveListen(); });
  });
  const bound = server.address();
  const urlHost = cert === undefined ? host : urlHostWith(host, cert);
  const url = `${cert === undefined ? 'http' : 'https'}://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${typeof bound === 'object' && bound !== null ? bound.port : port}`;
  const loginUrl = `${url}/login?token=${token.value}`;
  const loginPath = dashboardLoginPath(options.root);
  await writeFileAtomic(loginPath, `${loginUrl}\n`, 0o600);
  return {
    url,
    loginUrl,
    close: async () => {
      await rm(loginPath, { force: true });
      await new Promise<void>((resolveClose) => {
        server.close(() => { resolveClose(); });
        server.closeAllConnections();
      });
    },
  };
}
