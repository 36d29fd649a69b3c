/**
 * The cluster's certificate authority: a self-signed ECDSA P-256 certificate, CN=berth-cluster-ca,
 * O=<cluster id>, valid 20 years. It signs every node certificate; its digest (sha256 of the DER)
 * is what a join token pins, so a joining node can trust the CA a manager shows it.
 */
import { errors } from '../../base/errors.js';
import { createCertificateAuthority } from '../../pki/certificates.js';

export { caDigest, caIssuerInfo, parseCertificate } from './ca-certificate.js';

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
