/**
 * HTTP to berthd over its unix socket with node:http — no other dependency, so that the CLI starts
 * quickly. Every path is sent under `/v1.43` (the API version the client speaks), which berthd and
 * dockerd both accept. Bodies are JSON, or a stream for uploads (tar archives).
 *
 * Each call has a connection of its own (`createConnection`, no http.Agent): a unix socket connects
 * in microseconds, and skipping the Agent saves a CLI ~10 ms on its first request (the Agent
 * computes a TLS server name, compiling Node's IPv6 regular expression).
 *
 * With a bearer token, every request carries `Authorization: Bearer <token>` — whole answers,
 * streams and upgrades (attach, exec start) alike; a 401 then says where the token came from.
 */
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { BerthError, errors } from '../base/errors.js';
import { connectionError, errorFromResponse } from './api-errors.js';
import { authorizationOf, type BearerToken } from './bearer-token.js';

/** The Docker Engine API version this client speaks. */
export const CLIENT_API_VERSION = '1.43';

export type QueryValue = string | number | boolean | undefined | readonly string[];

export interface ApiRequestOptions {
  /** Query parameters; booleans are sent as 1/0, undefined ones are left out, lists repeat the key. */
  query?: Record<string, QueryValue>;
  /** A JSON body. */
  body?: unknown;
  /** A streamed body (with `contentType`, default application/x-tar). */
  upload?: Readable;
  contentType?: string;
  /** Extra request headers (e.g. X-Registry-Auth). */
  headers?: Record<string, string>;
  /** Aborting destroys the connection; the call rejects with canceled. */
  signal?: AbortSignal;
}

export interface ApiTransportOptions {
  /** Sent with every request as `Authorization: Bearer …`. */
  token?: BearerToken;
}

export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A connection taken over after `101 UPGRADED`: the daemon's output arrives on `socket`, stdin goes into it. */
export interface HijackedConnection {
  socket: Socket;
  /** Output bytes that arrived together with the 101 answer. */
  head: Buffer;
  /** `application/vnd.docker.raw-stream` (TTY) or `…multiplexed-stream`, when the daemon said. */
  contentType: string | undefined;
}

function pathWithQuery(path: string, query: Record<string, QueryValue> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (typeof value === 'boolean') search.append(key, value ? '1' : '0');
    else if (typeof value === 'object') for (const item of value) search.append(key, item);
    else search.append(key, String(value));
  }
  const text = search.toString();
  return `/v${CLIENT_API_VERSION}${path}${text === '' ? '' : `?${text}`}`;
}

function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => { resolve(Buffer.concat(chunks)); });
    stream.once('error', reject);
  });
}

/** One daemon endpoint. Calls may run concurrently; each connection closes with its answer. */
export class ApiTransport {
  readonly #authorization: string | undefined;
  readonly #tokenFrom: string | undefined;

  /** invalid-argument (`invalid-token`) when `options.token` cannot be sent. */
  constructor(readonly socketPath: string, options: ApiTransportOptions = {}) {
    this.#authorization = options.token === undefined ? undefined : authorizationOf(options.token);
    this.#tokenFrom = options.token?.from;
  }

  /**
   * Sends one request and resolves with the answer once it has been read whole. Statuses ≥ 400
   * reject with the BerthError of the body (api-errors.ts); 1xx–3xx (304 included) resolve.
   * Connection failures reject with unavailable naming the socket; an abort with canceled.
   */
  async call(method: string, path: string, options: ApiRequestOptions = {}): Promise<ApiResponse> {
    const response = await this.open(method, path, options);
    const body = await readAll(response).catch((err: unknown) => { throw connectionError(err, this.socketPath); });
    return { status: response.statusCode ?? 0, headers: response.headers, body };
  }

  /** `call`, with the body parsed as JSON. A body that is not JSON rejects with internal. */
  async json<T>(method: string, path: string, options: ApiRequestOptions = {}): Promise<T> {
    const { body } = await this.call(method, path, options);
    try {
      return JSON.parse(body.toString('utf8')) as T;
    } catch (cause) {
      throw errors.internal('invalid-api-answer', `${method} ${path}: the daemon's answer is not JSON`, { cause });
    }
  }

  /**
   * Sends one request and resolves with the response as soon as its headers arrived, for streaming
   * bodies (logs, wait, save). Errors as `call`; the caller reads or destroys the response.
   */
  open(method: string, path: string, options: ApiRequestOptions = {}): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.#request(method, path, options, false);
      req.once('error', (err) => { reject(this.#failure(err, options.signal)); });
      req.once('response', (response) => {
        const status = response.statusCode ?? 0;
        if (status < 400) {
          resolve(response);
          return;
        }
        readAll(response).then((body) => { reject(this.#errorOf(status, body, `${method} ${path}`)); }, (err: unknown) => { reject(this.#failure(err, options.signal)); });
      });
      this.#send(req, options);
    });
  }

  /**
   * Sends `Connection: Upgrade` / `Upgrade: tcp` (attach, exec start) and resolves with the socket once the daemon answered 101. Any other answer rejects: ≥ 400 with the
   * body's error, anything else with unavailable (`no-upgrade`).
   */
  hijack(method: string, path: string, options: ApiRequestOptions = {}): Promise<HijackedConnection> {
    return new Promise((resolve, reject) => {
      const req = this.#request(method, path, options, true);
      req.once('error', (err) => { reject(this.#failure(err, options.signal)); });
      req.once('upgrade', (response: IncomingMessage, socket: Socket, head: Buffer) => {
        const type = response.headers['content-type'];
        resolve({ socket, head, contentType: typeof type === 'string' ? type : undefined });
      });
      req.once('response', (response) => {
        const status = response.statusCode ?? 0;
        readAll(response).then((body) => {
          reject(status >= 400 ? this.#errorOf(status, body, `${method} ${path}`) : errors.unavailable('no-upgrade', `${method} ${path}: the daemon answered ${status} instead of switching protocols`));
        }, (err: unknown) => { reject(this.#failure(err, options.signal)); });
      });
      this.#send(req, options);
    });
  }

  #request(method: string, path: string, options: ApiRequestOptions, upgrade: boolean): ClientRequest {
    const headers: Record<string, string> = { ...options.headers };
    if (this.#authorization !== undefined) headers.Authorization = this.#authorization;
    if (options.upload !== undefined) headers['Content-Type'] = options.contentType ?? 'application/x-tar';
    else if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (upgrade) {
      headers.Connection = 'Upgrade';
      headers.Upgrade = 'tcp';
    }
    return httpRequest({
      socketPath: this.socketPath,
      method,
      path: pathWithQuery(path, options.query),
      headers,
      createConnection: () => connect(this.socketPath),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  #send(req: ClientRequest, options: ApiRequestOptions): void {
    if (options.upload !== undefined) {
      options.upload.once('error', (err) => req.destroy(err));
      options.upload.pipe(req);
    } else if (options.body !== undefined) {
      req.end(JSON.stringify(options.body));
    } else {
      req.end();
    }
  }

  /** The error of an answer ≥ 400; a 401 to a request with a token names where the token came from. */
  #errorOf(status: number, body: Buffer, what: string): BerthError {
    const error = errorFromResponse(status, body, what);
    if (status !== 401 || this.#tokenFrom === undefined) return error;
    return new BerthError(error.kind, error.reason, `${error.message}; the token sent came from ${this.#tokenFrom}`, { details: error.details });
  }

  #failure(err: unknown, signal: AbortSignal | undefined): Error {
    if (signal?.aborted === true) return new BerthError('canceled', 'request-aborted', 'request canceled', { cause: err });
    return connectionError(err, this.socketPath);
  }
}
