/**
 * Private signing keys in cosign's format: ECDSA P-256 as a PEM `ENCRYPTED SIGSTORE PRIVATE KEY`
 * (older cosign: `ENCRYPTED COSIGN PRIVATE KEY`) whose body is the JSON of go-securesystemslib's `encrypted` package: a PKCS #8 key
 * sealed with NaCl secretbox under a key scrypt derives from the password. Files that
 * `cosign generate-key-pair` writes are read here, and the keys made here are read by cosign.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, scryptSync, type KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';
import { z } from 'zod';
import { errors, isBerthError } from '../../base/errors.js';
import { checkP256 } from './public-keys.js';

const ENCRYPTED_LABELS = ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY'] as const;
/** What berth writes (cosign 2 and later write the same label). */
const ENCRYPTED_LABEL = ENCRYPTED_LABELS[0];
/** scrypt's cost as cosign writes it; reading also takes the stronger settings newer versions may write. */
const SCRYPT = { N: 32768, r: 8, p: 1 } as const;
const ACCEPTED_SCRYPT_N = new Set([32768, 65536, 131072]);

const sealedSchema = z.object({
  kdf: z.object({
    name: z.literal('scrypt'),
    params: z.object({ N: z.number().int(), r: z.number().int(), p: z.number().int() }),
    salt: z.string(),
  }),
  cipher: z.object({ name: z.literal('nacl/secretbox'), nonce: z.string() }),
  ciphertext: z.string(),
});

export interface KeyPairFiles {
  /** `cosign.key`: the encrypted private key. */
  privatePem: string;
  /** `cosign.pub`. */
  publicPem: string;
}

function pemBlock(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function readPemBlock(text: string, labels: readonly string[]): { label: string; der: Buffer } | undefined {
  const match = /-----BEGIN ([A-Z ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (match === null || !labels.includes(match[1] ?? '')) return undefined;
  return { label: match[1] ?? '', der: Buffer.from((match[2] ?? '').replace(/\s+/g, ''), 'base64') };
}

function scryptKey(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Uint8Array {
  const maxmem = 256 * params.N * params.r + 1024 * 1024;
  return scryptSync(Buffer.from(password, 'utf8'), salt, nacl.secretbox.keyLength, { N: params.N, r: params.r, p: params.p, maxmem });
}

/** A new ECDSA P-256 key pair, the private half sealed with `password` (which may be empty, as cosign allows). */
export function generateKeyPair(password: string): KeyPairFiles {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const salt = randomBytes(32);
  const nonce = randomBytes(nacl.secretbox.nonceLength);
  const ciphertext = nacl.secretbox(pkcs8, nonce, scryptKey(password, salt, SCRYPT));
  const sealed = {
    kdf: { name: 'scrypt', params: SCRYPT, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(ciphertext).toString('base64'),
  };
  return {
    privatePem: pemBlock(ENCRYPTED_LABEL, Buffer.from(JSON.stringify(sealed))),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}


/**
 * Reads a private key: cosign's encrypted format (opened with `password`), or an unencrypted
 * PKCS #8 / SEC 1 PEM. invalid-argument naming the file when it is neither or the password is wrong.
 */
export function readPrivateKey(text: string, password: string, file: string): KeyObject {
  const block = readPemBlock(text, ENCRYPTED_LABELS);
  if (block === undefined) {
    try {
      return checkP256(createPrivateKey(text), file);
    } catch (cause) {
      if (isBerthError(cause)) throw cause;
      throw errors.invalidArgument('invalid-key', `${file}: not a private key (expected a PEM "${ENCRYPTED_LABEL}" as cosign writes, or an unencrypted PEM private key)`, { cause });
    }
  }
  let sealed: z.infer<typeof sealedSchema>;
  try {
    sealed = sealedSchema.parse(JSON.parse(block.der.toString('utf8')));
  } catch (cause) {
    throw errors.invalidArgument('invalid-key', `${file}: the "${block.label}" block is not scrypt + nacl/secretbox JSON`, { cause });
  }
  const { N, r, p } = sealed.kdf.params;
  if (!ACCEPTED_SCRYPT_N.has(N) || r !== 8 || p !== 1) {
    throw errors.invalidArgument('invalid-key', `${file}: unexpected scrypt parameters N=${N} r=${r} p=${p}`);
  }
  const nonce = Buffer.from(sealed.cipher.nonce, 'base64');
  if (nonce.length !== nacl.secretbox.nonceLength) throw errors.invalidArgument('invalid-key', `${file}: the secretbox nonce is not ${nacl.secretbox.nonceLength} bytes`);
  const opened = nacl.secretbox.open(Buffer.from(sealed.ciphertext, 'base64'), nonce, scryptKey(password, Buffer.from(sealed.kdf.salt, 'base64'), { N, r, p }));
  if (opened === null) throw errors.invalidArgument('wrong-key-password', `${file}: wrong password for the private key (set COSIGN_PASSWORD)`);
  try {
    return checkP256(createPrivateKey({ key: Buffer.from(opened), format: 'der', type: 'pkcs8' }), file);
  } catch (cause) {
    if (isBerthError(cause)) throw cause;
    throw errors.invalidArgument('invalid-key', `${file}: the decrypted key is not PKCS #8`, { cause });
  }
}
