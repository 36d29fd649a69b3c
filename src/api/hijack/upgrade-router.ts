/**
 * Routes for hijacked connections (`Connection: Upgrade`, `Upgrade: tcp`): attach and exec start.
 * Node hands such requests to the server's 'upgrade' event with the raw socket, free of the HTTP
 * parser, so the client's stdin can follow on the same connection. A handler answers with
 * `switchProtocols` (101) before streaming, or throws before that to get a Docker JSON error.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { isBerthError } from '../../base/errors.js';
import { componentLogger } from '../../base/logger.js';
import { stripVersion } from '../api-version.js';
import { statusOf } from '../errors.js';
import type { Query } from '../query.js';

export interface UpgradeRequest {
  params: Record<string, string>;
  query: Query;
  /** The parsed JSON body (Content-Length bytes), or undefined. */
  body: unknown;
  socket: Duplex;
  /** Sends `101 UPGRADED` with Docker's raw-stream content type. */
  switchProtocols: (tty: boolean) => void;
}

export type UpgradeHandler = (request: UpgradeRequest) => Promise<void>;

/** Docker's content types of a stdio stream: raw (a TTY) or multiplexed frames. */
export const RAW_STREAM = 'application/vnd.docker.raw-stream';
export const MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';

const log = componentLogger('api');

interface Route { method: string; path: string; pattern: RegExp; names: string[]; handler: UpgradeHandler }

/**
 * Called before a route's handler with its path pattern (access control, audit); throwing refuses
 * the request. The function it may return hears how the request ended: 101 once the stream has
 * ended after switching protocols, else the error status and message.
 */
export type UpgradeGuard = (request: IncomingMessage, route: string, params: Record<string, string>) => Promise<((status: number, error?: string) => void) | undefined>;

function compile(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path.replace(/:([a-zA-Z]+)/g, (_m, name: string) => { names.push(name); return '([^/]+)'; });
  return { pattern: new RegExp(`^${source}$`), names };
}

function parseQuery(search: URLSearchParams): Query {
  const query: Query = {};
  for (const [key, value] of search) {
    const previous = query[key];
    query[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return query;
}

function sendHttpError(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ message });
  socket.end(`HTTP/1.1 ${status} Error\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

async function readBody(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<{ body: unknown; rest: Buffer }> {
  const length = Number(request.headers['content-length'] ?? 0);
  let buffer = head;
  while (buffer.length < length) {
    const chunk = await new Promise<Buffer | null>((resolve) => {
      socket.once('data', resolve);
      socket.once('end', () => { resolve(null); });
    });
    if (chunk === null) break;
    buffer = Buffer.concat([buffer, chunk]);
  }
  const text = buffer.subarray(0, length).toString('utf8').trim();
  return { body: text === '' ? undefined : JSON.parse(text) as unknown, rest: buffer.subarray(length) };
}

export class UpgradeRouter {
  readonly #routes: Route[] = [];

  constructor(private readonly guard?: UpgradeGuard) {}

  post(path: string, handler: UpgradeHandler): void {
    this.#routes.push({ method: 'POST', path, ...compile(path), handler });
  }

  install(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.#dispatch(request, socket, head);
    });
  }

  async #dispatch(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // A client's connection error (reset, gone) only ends it: what uses the socket sees it close.
    // Without a listener, the error would be thrown at berthd.
    socket.on('error', () => undefined);
    const url = new URL(stripVersion(request.url ?? '/'), 'http://berth');
    const match = this.#routes.map((route) => ({ route, found: route.pattern.exec(url.pathname) }))
      .find(({ route, found }) => found !== null && route.method === request.method);
    if (match === undefined) {
      sendHttpError(socket, 404, `page not found: ${request.method ?? ''} ${url.pathname}`);
      return;
    }
    const params = Object.fromEntries(match.route.names.map((name, i) => [name, decodeURIComponent(match.found?.[i + 1] ?? '')]));
    const progress = { switched: false };
    let finish: ((status: number, error?: string) => void) | undefined;
    try {
      finish = await this.guard?.(request, match.route.path, params);
      const { body, rest } = await readBody(request, socket, head);
      if (rest.length > 0) socket.unshift(rest);
      await match.route.handler({
        params, query: parseQuery(url.searchParams), body, socket,
        switchProtocols: (tty) => {
          progress.switched = true;
          const type = tty ? RAW_STREAM : MULTIPLEXED_STREAM;
          socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${type}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
        },
      });
      finish?.(101);
    } catch (err) {
      if (!progress.switched) {
        const status = isBerthError(err) ? statusOf(err) : err instanceof SyntaxError ? 400 : 500;
        // As fastify's error handler (errors.ts): a server error is logged, a client error is the client's.
        if (status >= 500) log.error('request failed', { err, method: request.method, url: request.url });
        finish?.(status, err instanceof Error ? err.message : String(err));
        sendHttpError(socket, status, err instanceof Error ? err.message : String(err));
      } else {
        // The stream is cut. The client going away (canceled) or the object's removal meanwhile
        // (not-found) is no failure of berthd's.
        if (!isBerthError(err, 'canceled') && !isBerthError(err, 'not-found')) log.warn('a hijacked stream failed', { err, method: request.method, url: request.url });
        finish?.(101, err instanceof Error ? err.message : String(err));
        socket.destroy();
      }
    }
  }
}
