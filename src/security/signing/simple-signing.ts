/**
 * The payload of cosign's classic signatures: a "simple signing" document
 * (`application/vnd.dev.cosign.simplesigning.v1+json`) naming the manifest digest it vouches for.
 * Signed bytes are the payload exactly as stored; the digest inside is what a verifier compares
 * with the digest that will run.
 */
import { z } from 'zod';
import { isDigest, type Digest } from '../../base/digest.js';
import { errors } from '../../base/errors.js';
import { parseJson } from '../../oci/parse-json.js';

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

const payloadSchema = z.object({
  critical: z.object({
    identity: z.object({ 'docker-reference': z.string() }).loose(),
    image: z.object({ 'docker-manifest-digest': z.string() }).loose(),
    type: z.string(),
  }).loose(),
  optional: z.record(z.string(), z.unknown()).nullable().optional(),
}).loose();

export interface SimpleSigning {
  /** The repository named at signing (cosign ignores it when verifying; berth reports it). */
  reference: string;
  digest: Digest;
  optional: Record<string, unknown> | null;
}

/** The payload cosign writes for `repository@digest` (key order as cosign's). */
export function simpleSigningPayload(repository: string, digest: Digest, optional: Record<string, string> | null = null): Buffer {
  return Buffer.from(JSON.stringify({
    critical: { identity: { 'docker-reference': repository }, image: { 'docker-manifest-digest': digest }, type: COSIGN_SIGNATURE_TYPE },
    optional,
  }));
}

/** Parses a payload; invalid-argument naming what is wrong (`what` names the signature). */
export function parseSimpleSigning(bytes: Buffer, what: string): SimpleSigning {
  const parsed = parseJson(payloadSchema, bytes, `${what}: the simple signing payload`);
  const { critical } = parsed;
  if (critical.type !== COSIGN_SIGNATURE_TYPE) {
    throw errors.invalidArgument('invalid-signature-payload', `${what}: critical.type is "${critical.type}", not "${COSIGN_SIGNATURE_TYPE}"`);
  }
  const digest = critical.image['docker-manifest-digest'];
  if (!isDigest(digest)) throw errors.invalidArgument('invalid-signature-payload', `${what}: critical.image.docker-manifest-digest "${digest}" is not a digest`);
  return { reference: critical.identity['docker-reference'], digest, optional: parsed.optional ?? null };
}
