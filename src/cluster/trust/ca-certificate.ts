/**
 * A CA certificate read with node:crypto alone (no X.509 library): parsed, its digest, and the
 * issuer fields Swarm's TLSInfo shows. The API shows these for a manager's `GET /swarm` and every
 * node view, so they must not need the certificate-building machinery of pki/x509.ts.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { errors } from '../../base/errors.js';

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

/** The DER element at `offset`: its tag, where its contents start, and where it ends. */
function derElement(der: Buffer, offset: number): { tag: number; contents: number; end: number } {
  const tag = der[offset] ?? 0;
  const first = der[offset + 1] ?? 0;
  let length = first;
  let contents = offset + 2;
  if ((first & 0x80) !== 0) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > 4) throw errors.invalidArgument('invalid-certificate', 'the CA certificate has a DER length berth does not read');
    length = 0;
    for (let i = 0; i < octets; i += 1) length = length * 256 + (der[contents + i] ?? 0);
    contents += octets;
  }
  const end = contents + length;
  if (end > der.length) throw errors.invalidArgument('invalid-certificate', 'the CA certificate\'s DER is truncated');
  return { tag, contents, end };
}

/**
 * The CA certificate's subject (the Name's DER) and public key (the SubjectPublicKeyInfo's DER),
 * base64: Swarm's TLSInfo.CertIssuerSubject and CertIssuerPublicKey. Both are the certificate's
 * own bytes: TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serial, signature, issuer,
 * validity, subject, subjectPublicKeyInfo, … }.
 */
export function caIssuerInfo(caCertPem: string): { readonly subject: string; readonly publicKey: string } {
  const der = parseCertificate(caCertPem, 'CA certificate').raw;
  const tbs = derElement(der, derElement(der, 0).contents);
  const fields: { start: number; end: number }[] = [];
  for (let offset = tbs.contents; offset < tbs.end && fields.length < 7;) {
    const field = derElement(der, offset);
    fields.push({ start: offset, end: field.end });
    offset = field.end;
  }
  const hasVersion = der[tbs.contents] === 0xa0;
  const subject = fields[hasVersion ? 5 : 4];
  const publicKey = fields[hasVersion ? 6 : 5];
  if (subject === undefined || publicKey === undefined) throw errors.invalidArgument('invalid-certificate', 'the CA certificate has no subject or public key');
  return {
    subject: der.subarray(subject.start, subject.end).toString('base64'),
    publicKey: der.subarray(publicKey.start, publicKey.end).toString('base64'),
  };
}
