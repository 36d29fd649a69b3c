/**
 * The cluster's certificate authority: a self-signed ECDSA P-256 certificate, CN=berth-cluster-ca,
 * O=<cluster id>, valid 20 years. It signs every node certificate; its digest (sha256 of the DER)
 * is what a join token pins, so a joining node can trust the CA a manager shows it.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { errors } from '../../base/errors.js';
import { createCertificateAuthority } from '../../pki/certificates.js';
import { x509 } from '../../pki/x509.js';

export const CA_COMMON_NAME = 'berth-cluster-ca';
/**
 * The CA of the cluster's etcd: only managers get a certificate of it, and etcd trusts only it,
 * so a worker's node certificate (of the cluster CA) opens no door to the store.
 */
export const ETCD_CA_COMMON_NAME = 'berth-etcd-ca';
const CA_VALID_YEARS = 20;

export interface ClusterCa {
  readonly certPem: string;
  /** PKCS#8 PEM; only managers hold it. */
  readonly keyPem: string;
}

/** A new CA for the cluster `clusterId` (`commonName`: the cluster's CA, or its etcd's); invalid-argument (`invalid-cluster-id`) when it is empty. */
export async function createClusterCa(clusterId: string, now: Date, commonName = CA_COMMON_NAME): Promise<ClusterCa> {
  if (clusterId.trim() === '') throw errors.invalidArgument('invalid-cluster-id', 'the cluster id of a CA must not be empty');
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_VALID_YEARS);
  return createCertificateAuthority({ commonName, organization: clusterId, now, notAfter });
}

/** A PEM certificate parsed by node:crypto; invalid-argument (`invalid-certificate`) for anything else. */
export function parseCertificate(certPem: string, what = 'certificate'): X509Certificate {
  try {
    return new X509Certificate(certPem);
  } catch (err) {
    throw errors.invalidArgument('invalid-certificate', `the ${what} is not a PEM X.509 certificate`, { cause: err });
  }
}

/** The CA certificate's subject and public key (DER, base64): Swarm's TLSInfo.CertIssuerSubject and CertIssuerPublicKey. */
export function caIssuerInfo(caCertPem: string): { readonly subject: string; readonly publicKey: string } {
  const parsed = new x509.X509Certificate(parseCertificate(caCertPem, 'CA certificate').raw);
  return {
    subject: Buffer.from(parsed.subjectName.toArrayBuffer()).toString('base64'),
    publicKey: Buffer.from(parsed.publicKey.rawData).toString('base64'),
  };
}

/** sha256 of the CA certificate's DER, lowercase hex (what a join token carries). */
export function caDigest(caCertPem: string): string {
  return createHash('sha256').update(parseCertificate(caCertPem, 'CA certificate').raw).digest('hex');
}
