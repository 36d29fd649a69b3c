/**
 * Node certificates: what a manager issues to a node for the public key it sent, and what every
 * peer reads back to learn who is calling. CN = node id, OU = `berth-manager` | `berth-worker`,
 * O = cluster id; SANs name the addresses the node is reached at; EKU serverAuth + clientAuth, as
 * every node is both (it serves its cluster port and calls others').
 */
import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import { BerthError, errors } from '../../base/errors.js';
import type { NodeRole } from '../objects/node.js';
import { parseCertificate, type ClusterCa } from './cluster-ca.js';
import { BACKDATE_MS, EC_SIGNING_ALGORITHM, importPublicKey, importSigningKey, randomSerial, x509 } from './x509.js';

const ROLE_UNITS: Readonly<Record<NodeRole, string>> = { manager: 'berth-manager', worker: 'berth-worker' };
const DEFAULT_VALID_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface NodeCertificateRequest {
  readonly nodeId: string;
  readonly role: NodeRole;
  /** Must be the CA's cluster (its O). */
  readonly clusterId: string;
  /** The node's SPKI PEM P-256 public key. */
  readonly publicKeyPem: string;
  readonly ipAddresses: readonly string[];
  readonly dnsNames: readonly string[];
  readonly now: Date;
  /** Default 90; never past the CA's own expiry. */
  readonly validDays?: number;
}

export interface NodeIdentity {
  readonly nodeId: string;
  readonly role: NodeRole;
  readonly clusterId: string;
  readonly notAfter: Date;
}

function field(name: x509.Name, type: string): string | undefined {
  const values = name.getField(type);
  return values.length === 1 ? values[0] : undefined;
}

function checkRequest(request: NodeCertificateRequest, caClusterId: string | undefined): void {
  const bad = (reason: string, message: string): BerthError => errors.invalidArgument(reason, message, { details: { nodeId: request.nodeId } });
  if (request.nodeId === '' || request.nodeId.length > 64) throw bad('invalid-node-id', `node id "${request.nodeId}" must be 1 to 64 characters`);
  if (!Object.hasOwn(ROLE_UNITS, request.role)) throw bad('invalid-node-role', `node role "${request.role as string}" is neither manager nor worker`);
  if (request.clusterId !== caClusterId) {
    throw bad('cluster-mismatch', `the request is for cluster "${request.clusterId}" but the CA is cluster "${caClusterId ?? ''}"`);
  }
  for (const ip of request.ipAddresses) if (isIP(ip) === 0) throw bad('invalid-ip-address', `"${ip}" in ipAddresses is not an IP address`);
  for (const dns of request.dnsNames) if (!/^[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(dns)) throw bad('invalid-dns-name', `"${dns}" in dnsNames is not a DNS name`);
  const days = request.validDays ?? DEFAULT_VALID_DAYS;
  if (!Number.isInteger(days) || days < 1) throw bad('invalid-validity', `validDays ${days} must be a positive whole number`);
}

/**
 * Signs a certificate for the request's public key with the CA. invalid-argument for a bad
 * request (`invalid-node-id`, `invalid-node-role`, `cluster-mismatch`, `invalid-ip-address`,
 * `invalid-dns-name`, `invalid-validity`, `invalid-public-key`) and for a CA that is not one
 * (`invalid-certificate`, `invalid-ca-key`).
 */
export async function issueNodeCertificate(ca: ClusterCa, request: NodeCertificateRequest): Promise<string> {
  parseCertificate(ca.certPem, 'CA certificate');
  const caCert = new x509.X509Certificate(ca.certPem);
  checkRequest(request, field(caCert.subjectName, 'O'));
  const signingKey = await importSigningKey(ca.keyPem);
  if (signingKey === undefined) throw errors.invalidArgument('invalid-ca-key', 'the CA key is not a PKCS#8 PEM P-256 private key');
  const publicKey = await importPublicKey(request.publicKeyPem);
  if (publicKey === undefined) throw errors.invalidArgument('invalid-public-key', `the public key of node ${request.nodeId} is not an SPKI PEM P-256 key`);

  const validUntil = request.now.getTime() + (request.validDays ?? DEFAULT_VALID_DAYS) * DAY_MS;
  const names = [
    ...request.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
    ...request.dnsNames.map((value) => ({ type: 'dns' as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ O: [request.clusterId] }, { OU: [ROLE_UNITS[request.role]] }, { CN: [request.nodeId] }],
    issuer: caCert.subjectName,
    notBefore: new Date(request.now.getTime() - BACKDATE_MS),
    notAfter: new Date(Math.min(validUntil, caCert.notAfter.getTime())),
    publicKey,
    signingKey,
    signingAlgorithm: EC_SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      // An empty SAN extension is not valid (RFC 5280): none at all when there are no names.
      ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return cert.toString('pem');
}

function untrusted(reason: string, message: string): BerthError {
  return new BerthError('permission-denied', reason, message);
}

/**
 * The identity in a parsed certificate, which must be a node certificate signed by the CA:
 * permission-denied `certificate-untrusted` when the CA did not sign it, `not-a-node-certificate`
 * when it did but the certificate is a CA or lacks a node's subject (role unit, the CA's cluster).
 * Expiry is not checked here: `notAfter` is returned for callers to compare with their clock.
 */
export function identityOf(cert: X509Certificate, caCertPem: string): NodeIdentity {
  const ca = parseCertificate(caCertPem, 'CA certificate');
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
    throw untrusted('certificate-untrusted', `the certificate of "${cert.subject.replace(/\n/g, ', ')}" is not signed by the cluster CA`);
  }
  const parsed = new x509.X509Certificate(cert.raw);
  const nodeId = field(parsed.subjectName, 'CN');
  const unit = field(parsed.subjectName, 'OU');
  const clusterId = field(parsed.subjectName, 'O');
  const role = (Object.keys(ROLE_UNITS) as NodeRole[]).find((r) => ROLE_UNITS[r] === unit);
  const caClusterId = field(new x509.X509Certificate(ca.raw).subjectName, 'O');
  if (cert.ca || nodeId === undefined || role === undefined || clusterId === undefined || clusterId !== caClusterId) {
    throw untrusted('not-a-node-certificate', `the certificate of "${cert.subject.replace(/\n/g, ', ')}" is signed by the cluster CA but is not a node certificate of cluster ${caClusterId ?? ''}`);
  }
  return { nodeId, role, clusterId, notAfter: parsed.notAfter };
}

/**
 * Reads a node certificate (PEM) checked against the CA (PEM): invalid-argument
 * (`invalid-certificate`) for what is not a certificate; permission-denied as `identityOf` says.
 */
export function readNodeCertificate(certPem: string, caCertPem: string): NodeIdentity {
  return identityOf(parseCertificate(certPem, 'node certificate'), caCertPem);
}
