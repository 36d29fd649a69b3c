/**
 * In-toto statements, the payload of the DSSE envelopes berth signs: an image signature (cosign's
 * predicate type `https://sigstore.dev/cosign/sign/v1`, empty predicate) or an attestation (an
 * SBOM as the predicate). The subject is the image manifest's digest.
 */
import { z } from 'zod';
import { digestHex, type Digest } from '../../base/digest.js';
import { parseJson } from '../../oci/parse-json.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const SIGN_PREDICATE_TYPE = 'https://sigstore.dev/cosign/sign/v1';
/** `berth attest --type` → predicate type, as cosign names them. */
export const ATTESTATION_PREDICATE_TYPES = {
  cyclonedx: 'https://cyclonedx.org/bom',
  spdx: 'https://spdx.dev/Document',
  spdxjson: 'https://spdx.dev/Document',
} as const;
export type AttestationType = keyof typeof ATTESTATION_PREDICATE_TYPES;

const statementSchema = z.object({
  _type: z.string(),
  subject: z.array(z.object({ name: z.string().optional(), digest: z.record(z.string(), z.string()) }).loose()).min(1),
  predicateType: z.string(),
  predicate: z.unknown().optional(),
}).loose();
export type Statement = z.infer<typeof statementSchema>;

export function statement(repository: string, digest: Digest, predicateType: string, predicate: unknown): Buffer {
  return Buffer.from(JSON.stringify({
    _type: STATEMENT_TYPE,
    subject: [{ name: repository, digest: { sha256: digestHex(digest) } }],
    predicateType,
    predicate,
  }));
}

/** Parses a statement; invalid-argument naming what is wrong. */
export function parseStatement(bytes: Buffer, what: string): Statement {
  return parseJson(statementSchema, bytes, `${what}: the signed in-toto statement`);
}

/** Whether one of the statement's subjects is `digest`. */
export function statementNames(s: Statement, digest: Digest): boolean {
  const [algorithm, hex] = digest.split(':');
  return s.subject.some((subject) => algorithm !== undefined && subject.digest[algorithm] === hex);
}
