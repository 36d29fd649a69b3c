/**
 * Who is calling on a member route: the node named (CN) by the client certificate presented on
 * the TLS connection, once that certificate is checked against the cluster's CA and cluster id.
 */
import { X509Certificate } from 'node:crypto';
import { TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { BerthError, isBerthError } from '../../base/errors.js';
import { readNodeCertificate } from '../trust/index.js';
import type { NodeRole } from '../objects/node.js';

export interface PeerNode {
  readonly nodeId: string;
  readonly role: NodeRole;
}

/**
 * The node of the connection's client certificate. Throws unauthenticated
 * `client-certificate-required` when there is none; permission-denied `certificate-untrusted` when
 * the CA did not issue it (or it expired), `cluster-mismatch` when it is of another cluster.
 */
export function peerNode(socket: Socket, caCertPem: string, clusterId: string): PeerNode {
  const peer = socket instanceof TLSSocket ? socket.getPeerCertificate() : undefined;
  if (!(socket instanceof TLSSocket) || peer === undefined || Object.keys(peer).length === 0) {
    throw new BerthError('unauthenticated', 'client-certificate-required', 'this route of the cluster port requires a node certificate of the cluster (join the cluster first)');
  }
  if (!socket.authorized) {
    throw new BerthError('permission-denied', 'certificate-untrusted', `the client certificate is not issued by this cluster's CA (${String(socket.authorizationError)})`);
  }
  let read: ReturnType<typeof readNodeCertificate>;
  try {
    read = readNodeCertificate(new X509Certificate(peer.raw).toString(), caCertPem);
  } catch (err) {
    if (isBerthError(err)) throw err;
    throw new BerthError('permission-denied', 'certificate-untrusted', 'the client certificate cannot be read as a node certificate', { cause: err });
  }
  if (read.clusterId !== clusterId) {
    throw new BerthError('permission-denied', 'cluster-mismatch', `the client certificate is of cluster ${read.clusterId}, not of this cluster (${clusterId})`);
  }
  return { nodeId: read.nodeId, role: read.role };
}
