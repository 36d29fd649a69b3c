/**
 * The cluster's certificate authority: a self-signed ECDSA P-256 certificate, CN=berth-cluster-ca,
 * O=<cluster id>, valid 20 years. It signs every node certificate; its digest (sha256 of the DER)
 * is what a join token pins, so a joining node can trust the CA a manager shows it.
 */
import { createHash, webcrypto, X509Certificate } from 'node:crypto';
import { errors } from '../../base/errors.js';
import { BACKDATE_MS, EC_KEY_ALGORITHM, EC_SIGNING_ALGORITHM, randomSerial, x509 } from './x509.js';

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
  const keys = await webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_VALID_YEARS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ O: [clusterId] }, { CN: [commonName] }],
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter,
    keys,
    signingAlgorithm: EC_SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem'), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

/** A PEM certificate parsed by node:crypto; invalid-argument (`invalid-certificate`) for anything else. */
export function parseCertificate(certPem: string, what = 'certificate'): X509Certificate {
  try {
    return new X509Certificate(certPem);
  } catch (err) {
    throw errors.invalidArgument('invalid-certificate', `the ${what} is not a PEM X.509 certificate`, { cause: err });
  }
}

/** sha256 of the CA certificate's DER, lowercase hex (what a join token carries). */
export function caDigest(caCertPem: string): string {
  return createHash('sha256').update(parseCertificate(caCertPem, 'CA certificate').raw).digest('hex');
}
