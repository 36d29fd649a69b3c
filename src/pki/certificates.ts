/**
 * A certificate authority and the certificates it signs for berthd's TLS listener and its clients
 * (`berth certs`): ECDSA P-256, SHA-256, as the cluster's. A server certificate names the hosts
 * and addresses clients reach it by (SANs, EKU serverAuth); a client certificate names its holder
 * (CN) and, in O, the role berthd gives it (EKU clientAuth).
 */
import { isIP } from 'node:net';
import { webcrypto } from 'node:crypto';
import { errors } from '../base/errors.js';
import { BACKDATE_MS, EC_KEY_ALGORITHM, EC_SIGNING_ALGORITHM, importSigningKey, randomSerial, x509 } from './x509.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A certificate and its PKCS#8 PEM private key. */
export interface CertifiedKey {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface CaOptions {
  readonly commonName: string;
  /** The subject's O, before its CN (the cluster's CAs name their cluster). */
  readonly organization?: string;
  readonly now: Date;
  /** Default 3650; `notAfter`, when given, instead. */
  readonly validDays?: number;
  readonly notAfter?: Date;
}

export interface LeafOptions {
  readonly ca: CertifiedKey;
  readonly usage: 'server' | 'client';
  readonly commonName: string;
  /** The subject's O: for a client certificate, the role berthd gives its holder. */
  readonly organization?: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly now: Date;
  /** Default 365; never past the CA's own expiry. */
  readonly validDays?: number;
}

function checkDays(days: number): void {
  if (!Number.isInteger(days) || days < 1) throw errors.invalidArgument('invalid-validity', `validity of ${days} days: want a positive whole number`);
}

function checkName(commonName: string): void {
  if (commonName.trim() === '' || commonName.length > 64) throw errors.invalidArgument('invalid-common-name', `common name "${commonName}" must be 1 to 64 characters`);
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** A new self-signed CA (path length 0). invalid-argument for an empty name or a bad validity. */
export async function createCertificateAuthority(options: CaOptions): Promise<CertifiedKey> {
  checkName(options.commonName);
  const days = options.validDays ?? 3650;
  checkDays(days);
  const keys = await webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [...(options.organization === undefined ? [] : [{ O: [options.organization] }]), { CN: [options.commonName] }],
    notBefore: new Date(options.now.getTime() - BACKDATE_MS),
    notAfter: options.notAfter ?? new Date(options.now.getTime() + days * DAY_MS),
    keys,
    signingAlgorithm: EC_SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey) };
}

/**
 * A new key and a certificate for it signed by `ca`. invalid-argument for a bad name, address,
 * validity, or a CA whose key is not a P-256 PKCS#8 key (`invalid-ca`).
 */
export async function issueCertificate(options: LeafOptions): Promise<CertifiedKey> {
  checkName(options.commonName);
  const days = options.validDays ?? 365;
  checkDays(days);
  const ips = options.ipAddresses ?? [];
  const dns = options.dnsNames ?? [];
  for (const ip of ips) if (isIP(ip) === 0) throw errors.invalidArgument('invalid-ip-address', `"${ip}" is not an IP address`);
  for (const name of dns) if (!/^[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(name)) throw errors.invalidArgument('invalid-dns-name', `"${name}" is not a DNS name`);
  const caCert = new x509.X509Certificate(options.ca.certPem);
  const caKey = await importSigningKey(options.ca.keyPem);
  if (caKey === undefined) throw errors.invalidArgument('invalid-ca', 'the CA key is not a PKCS#8 PEM P-256 private key');
  const keys = await webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
  const notAfter = new Date(Math.min(options.now.getTime() + days * DAY_MS, caCert.notAfter.getTime()));
  const subject = [...(options.organization === undefined ? [] : [{ O: [options.organization] }]), { CN: [options.commonName] }];
  const names = [...dns.map((value) => ({ type: 'dns' as const, value })), ...ips.map((value) => ({ type: 'ip' as const, value }))];
  const server = options.usage === 'server';
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: caCert.subjectName,
    notBefore: new Date(options.now.getTime() - BACKDATE_MS),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: EC_SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([server ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      ...(names.length === 0 ? [] : [new x509.SubjectAlternativeNameExtension(names)]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey) };
}
