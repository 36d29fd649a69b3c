// Self-signed certificates for the dashboard's TLS tests: ECDSA P-256, made in-process, with the
// DNS names and IP addresses asked for in their subjectAltName.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface TestCertificate {
  cert: string;
  key: string;
}

/** A self-signed server certificate for `names` (DNS names, and IP addresses as IP entries), valid from an hour ago for a day. */
export async function selfSignedCertificate(names: { dns?: readonly string[]; ips?: readonly string[] }): Promise<TestCertificate> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const entries = [...(names.dns ?? []).map((value) => ({ type: 'dns' as const, value })), ...(names.ips ?? []).map((value) => ({ type: 'ip' as const, value }))];
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '4a01',
    name: 'CN=berth dashboard test',
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 86_400_000),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      ...(entries.length === 0 ? [] : [new x509.SubjectAlternativeNameExtension(entries)]),
    ],
  });
  const key = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { cert: cert.toString('pem'), key };
}
