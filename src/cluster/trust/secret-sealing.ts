/**
 * Sealing secrets at rest: AES-256-GCM under a cluster data key, a random 96-bit nonce per
 * sealing, and the secret's id as associated data (a sealed value copied onto another secret does
 * not open). A sealed value names the key that sealed it (`keyId`), so a keyring that holds older
 * keys opens values sealed before a rotation. Pure but for randomness (node:crypto).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { errors } from '../../base/errors.js';

/** A data key: 32 random bytes, named by a random id (its version across rotations). */
export interface DataKey {
  readonly id: string;
  /** base64 of the 32 key bytes. */
  readonly key: string;
  readonly createdAt: string;
}

export interface SealedValue {
  readonly keyId: string;
  /** base64 of the 12-byte nonce. */
  readonly nonce: string;
  /** base64 of the ciphertext followed by the 16-byte tag. */
  readonly ciphertext: string;
}

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A new data key (id: 16 hex characters). */
export function newDataKey(now: Date): DataKey {
  return { id: randomBytes(8).toString('hex'), key: randomBytes(KEY_BYTES).toString('base64'), createdAt: now.toISOString() };
}

function keyBytes(key: DataKey): Buffer {
  const bytes = Buffer.from(key.key, 'base64');
  if (bytes.length !== KEY_BYTES) throw errors.invalidArgument('invalid-data-key', `data key ${key.id} is not ${KEY_BYTES} bytes`);
  return bytes;
}

/** Seals `plain` for the object `objectId` under `key`. */
export function sealData(key: DataKey, objectId: string, plain: Uint8Array): SealedValue {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(key), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(objectId, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return { keyId: key.id, nonce: nonce.toString('base64'), ciphertext: body.toString('base64') };
}

/**
 * Opens a sealed value of the object `objectId` with the key it names. invalid-argument
 * `data-key-mismatch` when `key` is not that key; data-loss `sealed-data-corrupt` when the value
 * does not authenticate (tampered, sealed for another object, or under another key with the same id).
 */
export function openSealed(key: DataKey, objectId: string, sealed: SealedValue): Buffer {
  if (key.id !== sealed.keyId) throw errors.invalidArgument('data-key-mismatch', `the value was sealed with data key ${sealed.keyId}, not ${key.id}`);
  const nonce = Buffer.from(sealed.nonce, 'base64');
  const body = Buffer.from(sealed.ciphertext, 'base64');
  if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) throw errors.dataLoss('sealed-data-corrupt', `the sealed data of ${objectId} is malformed`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyBytes(key), nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(objectId, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  } catch (cause) {
    throw errors.dataLoss('sealed-data-corrupt', `the sealed data of ${objectId} does not authenticate under data key ${key.id}`, { cause });
  }
}
