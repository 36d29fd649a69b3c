/**
 * A joining node's two calls, made before it holds a certificate: fetch the cluster's CA (trusted
 * only once its digest matches the join token's) and join over TLS verified with that CA.
 */
import { BerthError, isBerthError } from '../../base/errors.js';
import { componentLogger } from '../../base/logger.js';
import { caDigest, clientTlsOptions } from '../trust/index.js';
import { callClusterPort, LONG_POLL_IDLE_TIMEOUT_MS } from './cluster-port-call.js';
import { CLUSTER_ROUTES, type JoinAnswer, type JoinCall } from './protocol.js';
import { caAnswerSchema, joinAnswerSchema, parseWith } from './protocol-schemas.js';

const log = componentLogger('cluster');

/**
 * The CA certificate (PEM) of the manager at `addr` (`ip:port`), fetched without verifying the
 * server (the node has nothing to verify it with yet) and returned only if its digest is
 * `expectedDigest` (the join token's). Throws permission-denied `ca-mismatch` when it is not,
 * unavailable `manager-unreachable` when the manager cannot be reached, canceled on `signal`.
 */
export async function fetchClusterCa(addr: string, expectedDigest: string, signal?: AbortSignal): Promise<string> {
  const answer = await callClusterPort(addr, { method: 'GET', path: CLUSTER_ROUTES.ca, tls: { rejectUnauthorized: false }, signal });
  const { caCertPem } = parseWith(caAnswerSchema, answer, `the CA answer of ${addr}`, 'invalid-answer');
  let digest: string | undefined;
  try {
    digest = caDigest(caCertPem);
  } catch (err) {
    // Not a certificate (invalid-argument): it cannot match the token, and the refusal below says
    // so. Any other failure is logged and refused the same way.
    if (!isBerthError(err, 'invalid-argument')) log.warn('reading the CA certificate a manager presented failed', { addr, err });
    digest = undefined;
  }
  if (digest !== expectedDigest) {
    throw new BerthError('permission-denied', 'ca-mismatch', `the manager at ${addr} presents a CA that does not match the join token`, { details: { expectedDigest, ...(digest !== undefined && { digest }) } });
  }
  return caCertPem;
}

/**
 * Joins the cluster through the manager at `addr`, over TLS verified with `caCertPem`. The
 * manager's refusal comes back as its BerthError (kind and reason intact: an invalid token, a
 * removed node…); unavailable `manager-unreachable` when it cannot be reached.
 */
export async function requestJoin(addr: string, caCertPem: string, call: JoinCall, signal?: AbortSignal): Promise<JoinAnswer> {
  // A manager's join adds an etcd member, which etcd may refuse for a while after the last change
  // of members: the manager retries, so this call may be quiet for longer than others.
  const answer = await callClusterPort(addr, { method: 'POST', path: CLUSTER_ROUTES.join, body: call, tls: clientTlsOptions({ caCertPem }), signal, idleTimeoutMs: LONG_POLL_IDLE_TIMEOUT_MS });
  const { etcd, ...rest } = parseWith(joinAnswerSchema, answer, `the join answer of ${addr}`, 'invalid-answer');
  return etcd === undefined ? rest : { ...rest, etcd };
}
