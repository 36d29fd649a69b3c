/**
 * One HTTP exchange with a registry over node:http / node:https (no dependency). Bodies are
 * Buffers or streams made on demand, so a request can be sent again (after a 401, a redirect or a
 * dropped connection). Redirects of GET/HEAD are followed; credentials are not sent to another host.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { BerthError, errnoCode, errors, messageOf } from '../../base/errors.js';

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** A body, or a function that opens one (called once per attempt). */
  body?: Buffer | (() => Readable);
  /** Idle time after which the connection is given up (default 60 s). */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The final URL (after redirects). */
  url: URL;
  body: IncomingMessage;
}

const MAX_REDIRECTS = 5;

/** A connection-level failure (refused, reset, TLS, timeout): unavailable, reason `registry-unreachable`. */
function unreachable(url: URL, err: unknown): Error {
  const code = errnoCode(err);
  return errors.unavailable('registry-unreachable', `${url.protocol}//${url.host}: ${code ?? messageOf(err)}`, { cause: err, details: { code } });
}

function sendOnce(req: HttpRequest): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const send = req.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { 'User-Agent': 'berth', ...req.headers };
    if (Buffer.isBuffer(req.body)) headers['Content-Length'] = String(req.body.length);
    const outgoing = send(req.url, { method: req.method, headers, ...(req.signal !== undefined && { signal: req.signal }) });
    outgoing.setTimeout(req.idleTimeoutMs ?? 60_000, () => outgoing.destroy(Object.assign(new Error('idle timeout'), { code: 'ETIMEDOUT' })));
    outgoing.once('error', (err) => {
      if (req.signal?.aborted === true) reject(new BerthError('canceled', 'canceled', `${req.method} ${req.url.host}: canceled`, { cause: err }));
      else reject(unreachable(req.url, err));
    });
    outgoing.once('response', (response) => {
      response.socket.setTimeout(req.idleTimeoutMs ?? 60_000);
      resolve({ status: response.statusCode ?? 0, headers: response.headers, url: req.url, body: response });
    });
    if (req.body === undefined) outgoing.end();
    else if (Buffer.isBuffer(req.body)) outgoing.end(req.body);
    else {
      const body = req.body();
      body.once('error', (err) => outgoing.destroy(err));
      body.pipe(outgoing);
    }
  });
}

/** Sends `req`, following redirects of GET and HEAD. Connection failures reject with unavailable. */
export async function sendHttp(req: HttpRequest): Promise<HttpAnswer> {
  let current = req;
  for (let hop = 0; ; hop++) {
    const answer = await sendOnce(current);
    const location = answer.headers.location;
    const redirect = [301, 302, 303, 307, 308].includes(answer.status) && (current.method === 'GET' || current.method === 'HEAD') && location !== undefined;
    if (!redirect || hop >= MAX_REDIRECTS) return answer;
    answer.body.resume();
    const next = new URL(location, current.url);
    const headers = { ...current.headers };
    if (next.host !== current.url.host) delete headers.Authorization;
    current = { ...current, url: next, headers };
  }
}

/** Reads a whole (small) body; more than `limit` bytes rejects with invalid-argument. */
export async function readBody(body: Readable, limit = 8 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > limit) {
      body.destroy();
      throw errors.invalidArgument('registry-answer-too-large', `registry answer larger than ${limit} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
