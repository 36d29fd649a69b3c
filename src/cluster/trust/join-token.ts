/**
 * Join tokens in Swarm's format: `SWMTKN-1-<CA digest>-<secret>`. The digest is the sha256 of the
 * CA certificate's DER in base 36, zero-padded to 50 characters; the secret is 25 base-36
 * characters (128 random bits). A joining node compares the digest with the CA a manager shows
 * it before trusting that CA; the manager compares the secret with the hash it keeps (one per
 * role), never the secret itself.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { errors, type BerthError } from '../../base/errors.js';
import { caDigest } from './cluster-ca.js';

const PREFIX = 'SWMTKN';
const VERSION = '1';
const DIGEST_LENGTH = 50;
const SECRET_LENGTH = 25;
const BASE36 = /^[0-9a-z]+$/;
const MAX_DIGEST = (1n << 256n) - 1n;

export interface ParsedJoinToken {
  /** sha256 of the CA certificate's DER, lowercase hex (64 characters). */
  readonly caDigest: string;
  readonly secret: string;
}

function base36(value: bigint, width: number): string {
  return value.toString(36).padStart(width, '0');
}

function fromBase36(text: string): bigint {
  let value = 0n;
  for (const char of text) value = value * 36n + BigInt(parseInt(char, 36));
  return value;
}

/** 25 base-36 characters of 128 random bits. */
export function newJoinSecret(): string {
  return base36(BigInt(`0x${randomBytes(16).toString('hex')}`), SECRET_LENGTH);
}

/** The token for this CA and secret; invalid-argument (`invalid-join-secret`) for a malformed secret. */
export function makeJoinToken(caCertPem: string, secret: string): string {
  if (secret.length !== SECRET_LENGTH || !BASE36.test(secret)) {
    throw errors.invalidArgument('invalid-join-secret', `a join secret must be ${SECRET_LENGTH} characters of 0-9 a-z`);
  }
  return `${PREFIX}-${VERSION}-${base36(BigInt(`0x${caDigest(caCertPem)}`), DIGEST_LENGTH)}-${secret}`;
}

/** Splits a token into the CA digest it pins and its secret; invalid-argument (`invalid-join-token`) naming what is malformed. */
export function parseJoinToken(token: string): ParsedJoinToken {
  const bad = (what: string): BerthError => errors.invalidArgument('invalid-join-token', `invalid join token: ${what}`);
  const parts = token.trim().split('-');
  if (parts.length !== 4) throw bad(`expected 4 parts separated by "-" (${PREFIX}-${VERSION}-<digest>-<secret>), got ${parts.length}`);
  const [prefix, version, digest, secret] = parts as [string, string, string, string];
  if (prefix !== PREFIX) throw bad(`it must start with "${PREFIX}-"`);
  if (version !== VERSION) throw bad(`version "${version}" is not supported (only ${VERSION})`);
  if (digest.length !== DIGEST_LENGTH || !BASE36.test(digest)) throw bad(`the CA digest must be ${DIGEST_LENGTH} characters of 0-9 a-z`);
  const value = fromBase36(digest);
  if (value > MAX_DIGEST) throw bad('the CA digest is larger than a sha256 digest');
  if (secret.length !== SECRET_LENGTH || !BASE36.test(secret)) throw bad(`the secret must be ${SECRET_LENGTH} characters of 0-9 a-z`);
  return { caDigest: value.toString(16).padStart(64, '0'), secret };
}

/** What a manager keeps instead of a secret: sha256, lowercase hex. */
export function hashJoinSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether `secret` hashes to `hash`, compared in constant time. */
export function joinSecretMatches(secret: string, hash: string): boolean {
  const expected = Buffer.from(hashJoinSecret(secret), 'hex');
  const actual = Buffer.from(/^[0-9a-f]{64}$/i.test(hash) ? hash : '', 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
