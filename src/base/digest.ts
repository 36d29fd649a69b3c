import { createHash, type Hash } from 'node:crypto';
import { errors } from './errors.js';

/** A content digest such as `sha256:<64 hex>`; only values that passed `parseDigest` carry the brand. */
export type Digest = string & { readonly __brand: 'Digest' };

export type DigestAlgorithm = 'sha256' | 'sha512';

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

/** Validates `value` as a sha256 or sha512 digest; throws invalid-argument naming `what`. */
export function parseDigest(value: string, what = 'digest'): Digest {
  const colon = value.indexOf(':');
  const algorithm = value.slice(0, colon);
  const hex = value.slice(colon + 1);
  if (colon < 0 || (algorithm !== 'sha256' && algorithm !== 'sha512')) {
    throw errors.invalidArgument('digest-algorithm', `${what}: unsupported digest "${value}" (want sha256:… or sha512:…)`);
  }
  if (hex.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(hex)) {
    throw errors.invalidArgument('digest-format', `${what}: malformed ${algorithm} digest "${value}"`);
  }
  return value as Digest;
}

export function isDigest(value: string): value is Digest {
  return /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/.test(value);
}

export function digestAlgorithm(digest: Digest): DigestAlgorithm {
  return digest.startsWith('sha512:') ? 'sha512' : 'sha256';
}

export function digestHex(digest: Digest): string {
  return digest.slice(digest.indexOf(':') + 1);
}

/** Digest of a whole buffer or string. */
export function digestOf(data: Uint8Array | string, algorithm: DigestAlgorithm = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}` as Digest;
}

/** Incremental digest for streams: feed chunks, then read `digest()` once. */
export class Digester {
  private readonly hash: Hash;
  private bytes = 0;

  constructor(readonly algorithm: DigestAlgorithm = 'sha256') {
    this.hash = createHash(algorithm);
  }

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }

  get size(): number {
    return this.bytes;
  }

  digest(): Digest {
    return `${this.algorithm}:${this.hash.digest('hex')}` as Digest;
  }
}
