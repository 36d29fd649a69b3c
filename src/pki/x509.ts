/**
 * `@peculiar/x509`, ready to use: it needs `reflect-metadata` loaded before it and a WebCrypto
 * provider (node:crypto's). Every module that builds certificates (pki/, cluster/trust/) imports
 * it from here, with the key helpers they share.
 */
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

export { x509 };

/** ECDSA P-256 with SHA-256: the only key and signature algorithm of berth's certificates. */
export const EC_KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const EC_SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Certificates start this long before `now`, so that nodes whose clocks lag a little accept them. */
export const BACKDATE_MS = 60 * 60 * 1000;

/**
 * A certificate's serial: 16 random bytes, the first in 0x40..0x7f, so the DER integer is
 * positive and minimal (strict parsers, Go's among them, refuse anything else).
 */
export function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x40;
  return Buffer.from(bytes).toString('hex');
}

/** Whether a node:crypto key is an EC key on P-256. */
function isP256(key: { asymmetricKeyType?: string; asymmetricKeyDetails?: { namedCurve?: string } }): boolean {
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

/** A PKCS#8 PEM P-256 private key as a WebCrypto signing key; undefined when it is not one. */
export async function importSigningKey(keyPem: string): Promise<webcrypto.CryptoKey | undefined> {
  let der: Buffer;
  try {
    const key = createPrivateKey(keyPem);
    if (!isP256(key)) return undefined;
    der = key.export({ format: 'der', type: 'pkcs8' });
  } catch {
    return undefined; // not a private key in PEM: the caller refuses it as "not one"
  }
  return webcrypto.subtle.importKey('pkcs8', der, EC_KEY_ALGORITHM, false, ['sign']);
}

/** An SPKI PEM P-256 public key as a WebCrypto key; undefined when it is not one. */
export async function importPublicKey(publicKeyPem: string): Promise<webcrypto.CryptoKey | undefined> {
  let der: Buffer;
  try {
    const key = createPublicKey(publicKeyPem);
    if (!isP256(key)) return undefined;
    der = key.export({ format: 'der', type: 'spki' });
  } catch {
    return undefined; // not a public key in PEM: the caller refuses it as "not one"
  }
  return webcrypto.subtle.importKey('spki', der, EC_KEY_ALGORITHM, true, ['verify']);
}
