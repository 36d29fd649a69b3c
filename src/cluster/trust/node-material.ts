/**
 * A node's whole TLS material made in one place, for a node that holds the CA key itself (the
 * manager that creates the cluster, for its own certificate and its etcd member's) and for tests.
 * A joining node does not use it: it keeps its key and receives only the certificate.
 */
import type { ClusterCa } from './cluster-ca.js';
import { issueNodeCertificate, type NodeCertificateRequest } from './node-certificate.js';
import { generateNodeKey } from './node-key.js';
import type { NodeTlsMaterial } from './tls-options.js';

/** A fresh key and a certificate for it; errors as `issueNodeCertificate`. */
export async function createNodeMaterial(ca: ClusterCa, request: Omit<NodeCertificateRequest, 'publicKeyPem'>): Promise<NodeTlsMaterial> {
  const key = await generateNodeKey();
  const certPem = await issueNodeCertificate(ca, { ...request, publicKeyPem: key.publicKeyPem });
  return { keyPem: key.keyPem, certPem, caCertPem: ca.certPem };
}
