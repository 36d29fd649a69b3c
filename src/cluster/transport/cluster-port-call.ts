/**
 * One request to a manager's cluster port (node:https): JSON in, JSON out, errors as BerthErrors.
 * The caller chooses the TLS side (an Agent holding the node's certificate, or options for a node
 * that has none yet).
 */
import { request, type Agent, type RequestOptions } from 'node:https';
import { BerthError, errnoCode, messageOf } from '../../base/errors.js';
import { errorFromAnswer } from './error-answers.js';

/** The largest answer read (assignments of a busy node included). */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** How long a call may sit without a byte moving; a long poll answers within about 30 s. */
export const CALL_IDLE_TIMEOUT_MS = 15_000;
export const LONG_POLL_IDLE_TIMEOUT_MS = 60_000;

/** OpenSSL's codes for a server certificate that does not verify. */
const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_SIGNATURE_FAILURE', 'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED',
]);

export interface ClusterPortCall {
  readonly method: 'GET' | 'POST';
  /** Path and query. */
  readonly path: string;
  readonly body?: unknown;
  /** A keep-alive agent with the node's TLS material, or the TLS options of a one-off connection. */
  readonly tls: { readonly agent: Agent } | Pick<RequestOptions, 'ca' | 'key' | 'cert' | 'rejectUnauthorized' | 'checkServerIdentity'>;
  readonly signal?: AbortSignal | undefined;
  readonly idleTimeoutMs?: number;
}

/** `ip:port` or `[ipv6]:port` as host and port; invalid-argument `invalid-manager-address` otherwise. */
export function parseManagerAddress(addr: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(addr);
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (host === undefined || !(port >= 1 && port <= 65_535)) {
    throw new BerthError('invalid-argument', 'invalid-manager-address', `manager address "${addr}" is not ip:port`);
  }
  return { host, port };
}

/** Why the connection to `addr` failed, classified. */
function connectionError(err: unknown, addr: string, signal: AbortSignal | undefined): BerthError {
  if (err instanceof BerthError && err.kind === 'permission-denied') {
    return new BerthError('permission-denied', 'manager-certificate-untrusted', `the manager at ${addr} presents a certificate that is not a node certificate of this cluster: ${err.message}`, { cause: err });
  }
  if (err instanceof BerthError) return err;
  if (signal?.aborted === true) return new BerthError('canceled', 'request-canceled', `the call to the manager at ${addr} was canceled`, { cause: err });
  const code = errnoCode(err);
  if (code !== undefined && UNTRUSTED_CODES.has(code)) {
    return new BerthError('permission-denied', 'manager-certificate-untrusted', `the manager at ${addr} presents a certificate this cluster's CA did not issue (${code})`, { cause: err });
  }
  return new BerthError('unavailable', 'manager-unreachable', `cannot reach the manager at ${addr}: ${messageOf(err)}`, { cause: err });
}

/**
 * Sends the call to `addr` and resolves with the answer's JSON (undefined for 204). Rejects with the
 * manager's BerthError for an error answer; unavailable `manager-unreachable` when the manager cannot
 * be reached or stalls; permission-denied `manager-certificate-untrusted`; canceled when `signal` aborts.
 */
export function callClusterPort(addr: string, call: ClusterPortCall): Promise<unknown> {
  const { host, port } = parseManagerAddress(addr);
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  return new Promise((resolve, reject) => {
    const fail = (err: unknown): void => { reject(connectionError(err, addr, call.signal)); };
    const req = request({
      host, port, method: call.method, path: call.path, ...call.tls,
      headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      timeout: call.idleTimeoutMs ?? CALL_IDLE_TIMEOUT_MS,
      ...(call.signal !== undefined && { signal: call.signal }),
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) res.destroy(new BerthError('unavailable', 'answer-too-large', `the manager at ${addr} answered more than ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.once('error', fail);
      res.once('close', () => { if (!res.complete) fail(new Error('the connection closed before the answer was complete')); });
      res.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status >= 400) { reject(errorFromAnswer(status, text, `${call.method} ${call.path} at ${addr}`)); return; }
        if (status === 204 || text === '') { resolve(undefined); return; }
        try {
          resolve(JSON.parse(text));
        } catch (err) {
          reject(new BerthError('unavailable', 'invalid-answer', `the manager at ${addr} answered ${call.path} with something that is not JSON`, { cause: err }));
        }
      });
    });
    req.once('timeout', () => {
      req.destroy(new BerthError('unavailable', 'manager-unreachable', `the manager at ${addr} did not answer ${call.path} in time`));
    });
    req.once('error', fail);
    req.end(payload);
  });
}
