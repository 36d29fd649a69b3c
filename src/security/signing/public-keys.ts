/**
 * Public keys as cosign writes them (`cosign.pub`: a PEM `PUBLIC KEY`, SPKI), ECDSA P-256 only,
 * and the id berth names a key by.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { errors } from '../../base/errors.js';
import { digestHex, digestOf } from '../../base/digest.js';

/** The key itself when it is ECDSA P-256; invalid-argument naming the file otherwise. */
export function checkP256(key: KeyObject, file: string): KeyObject {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw errors.invalidArgument('unsupported-key', `${file}: only ECDSA P-256 keys are supported (this is ${key.asymmetricKeyType ?? 'unknown'}${key.asymmetricKeyDetails?.namedCurve !== undefined ? ` ${key.asymmetricKeyDetails.namedCurve}` : ''})`);
  }
  return key;
}

/** Reads a public key (`PUBLIC KEY` PEM); invalid-argument naming the file otherwise. */
export function readPublicKey(text: string, file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch (cause) {
    throw errors.invalidArgument('invalid-key', `${file}: not a PEM public key`, { cause });
  }
  return checkP256(key, file);
}

/** The public key of a private one. */
export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}

/** A key's hint in Sigstore bundles, and the id berth names keys by: hex SHA-256 of its SPKI DER. */
export function keyId(publicKey: KeyObject): string {
  return digestHex(digestOf(publicKey.export({ format: 'der', type: 'spki' })));
}
