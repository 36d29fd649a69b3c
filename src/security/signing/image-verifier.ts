/**
 * Verifies an image's signatures (or attestations) in a registry with public keys, in both of
 * cosign's layouts: the classic `sha256-<hex>.sig` manifest and Sigstore bundles among the
 * digest's referrers. A signature counts when its signature verifies with one of the keys AND its
 * signed payload names the very digest the reference resolves to. Every signature that does not
 * count is reported with why (signed by another key, payload altered, made for another digest,
 * keyless), and no signature at all is told apart from a tag moved after signing.
 */
import { verify as cryptoVerify } from 'node:crypto';
import { digestHex, type Digest } from '../../base/digest.js';
import { messageOf } from '../../base/errors.js';
import { checkDsseBundle } from './dsse-bundles.js';
import type { TrustedKey } from './trusted-keys.js';
import { IN_TOTO_PAYLOAD_TYPE, SIGN_PREDICATE_TYPE, parseStatement, statementNames } from './in-toto.js';
import { BUNDLE_MEDIA_TYPE, signatureTag, type ClassicLayer } from './signature-layouts.js';
import { listReferrers, readBundle, readClassicSignatures, readPayload } from './signature-registry.js';
import type { SignatureSource, SignedSubject } from './signature-source.js';
import { parseSimpleSigning } from './simple-signing.js';

/** What to look for: image signatures, or attestations (of one predicate type, or of every type). */
export type Wanted = { kind: 'signature' } | { kind: 'attestation'; predicateType?: string };

export interface VerifiedSignature {
  format: 'classic' | 'bundle';
  key: TrustedKey;
  /** Where it was found (`repo:sha256-….sig`, `repo@sha256:…`). */
  where: string;
  /** The signed payload, parsed (simple signing document or in-toto statement). */
  payload: unknown;
  note?: string;
}

export interface Verification {
  subject: SignedSubject;
  verified: VerifiedSignature[];
  /** Why each signature found did not count, and, when none was found, what was looked for. */
  failures: string[];
}

function checkClassicSignature(layer: ClassicLayer, payload: Buffer, keys: readonly TrustedKey[]): TrustedKey | string {
  const signature = Buffer.from(layer.signature, 'base64');
  const key = keys.find((k) => cryptoVerify('sha256', payload, k.key, signature));
  if (key !== undefined) return key;
  const files = keys.map((k) => k.file).join(', ');
  const named = keys.find((k) => k.id === layer.keyId);
  if (named !== undefined) return `the signature by ${named.file} does not match its payload ${layer.payload.digest}: the payload was altered`;
  if (layer.keyId !== undefined) return `signed by another key (${layer.keyId}), not by ${files}`;
  return `does not verify with ${files}: signed by another key, or the payload was altered`;
}

async function classicSignatures(source: SignatureSource, subject: SignedSubject, keys: readonly TrustedKey[], out: Verification): Promise<number> {
  const where = `${source.name}/${subject.repository}:${signatureTag(subject.digest)}`;
  const layers = await readClassicSignatures(source, subject.repository, subject.digest);
  for (const [index, layer] of layers.entries()) {
    const what = `classic signature ${index + 1} (${where})`;
    try {
      const payload = await readPayload(source, subject.repository, layer);
      const key = checkClassicSignature(layer, payload, keys);
      if (typeof key === 'string') {
        out.failures.push(`${what}: ${key}`);
        continue;
      }
      const signed = parseSimpleSigning(payload, what);
      if (signed.digest !== subject.digest) {
        out.failures.push(`${what}: signed for ${signed.digest}, not for ${subject.digest}: a signature copied from another image`);
        continue;
      }
      out.verified.push({ format: 'classic', key, where, payload: JSON.parse(payload.toString('utf8')) as unknown });
    } catch (err) {
      out.failures.push(`${what}: ${messageOf(err)}`);
    }
  }
  return layers.length;
}

function predicateMatches(wanted: Wanted, predicateType: string): boolean {
  if (wanted.kind === 'signature') return predicateType === SIGN_PREDICATE_TYPE;
  return wanted.predicateType === undefined ? predicateType !== SIGN_PREDICATE_TYPE : predicateType === wanted.predicateType;
}

async function bundleSignatures(source: SignatureSource, subject: SignedSubject, keys: readonly TrustedKey[], wanted: Wanted, out: Verification): Promise<number> {
  const entries = await listReferrers(source, subject.repository, subject.digest, BUNDLE_MEDIA_TYPE);
  let counted = 0;
  for (const entry of entries) {
    const listed = entry.annotations?.['dev.sigstore.bundle.predicateType'];
    if (listed !== undefined && !predicateMatches(wanted, listed)) continue;
    counted++;
    const where = `${source.name}/${subject.repository}@${entry.digest}`;
    const what = `bundle ${where}`;
    try {
      const { bytes, subject: attachedTo } = await readBundle(source, subject.repository, entry);
      if (attachedTo !== undefined && attachedTo !== subject.digest) throw new Error(`attached to ${attachedTo}, not to ${subject.digest}`);
      const check = await checkDsseBundle(bytes, keys);
      if (!check.ok) {
        out.failures.push(`${what}: ${check.why}`);
        continue;
      }
      if (check.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new Error(`the envelope's payload type is ${check.payloadType}, not ${IN_TOTO_PAYLOAD_TYPE}`);
      const statement = parseStatement(check.payload, what);
      if (!statementNames(statement, subject.digest)) {
        const named = statement.subject.map((s) => Object.entries(s.digest).map(([a, h]) => `${a}:${h}`).join(',')).join(', ');
        out.failures.push(`${what}: the signed statement is for ${named}, not for ${subject.digest}: a signature copied from another image`);
        continue;
      }
      if (!predicateMatches(wanted, statement.predicateType)) {
        counted--;
        continue;
      }
      out.verified.push({ format: 'bundle', key: check.key, where, payload: statement, ...(check.note !== undefined && { note: check.note }) });
    } catch (err) {
      out.failures.push(`${what}: ${messageOf(err)}`);
    }
  }
  return counted;
}

/** The digests of the repository that have classic signatures (from the tag list), other than `digest`. */
async function otherSignedDigests(source: SignatureSource, repository: string, digest: Digest): Promise<string[]> {
  const tags = await source.tags(repository).catch(() => []);
  return tags.flatMap((tag) => {
    const match = /^sha256-([0-9a-f]{64})\.sig$/.exec(tag);
    return match?.[1] !== undefined && match[1] !== digestHex(digest) ? [`sha256:${match[1]}`] : [];
  });
}

/** Verifies what `reference` (a tag or digest) of `repository` names; never throws for a bad signature, only for registry errors. */
export async function verifyImage(source: SignatureSource, repository: string, reference: string, keys: readonly TrustedKey[], wanted: Wanted): Promise<Verification> {
  const subject = await source.subject(repository, reference);
  const out: Verification = { subject, verified: [], failures: [] };
  const classic = wanted.kind === 'signature' ? await classicSignatures(source, subject, keys, out) : 0;
  const bundles = await bundleSignatures(source, subject, keys, wanted, out);
  if (classic + bundles > 0) return out;
  const noun = wanted.kind === 'signature' ? 'signature' : `attestation${wanted.predicateType !== undefined ? ` of type ${wanted.predicateType}` : ''}`;
  const name = `${source.name}/${subject.repository}`;
  const looked = wanted.kind === 'signature' ? `neither ${name}:${signatureTag(subject.digest)} nor a Sigstore bundle among its referrers` : 'no Sigstore bundle among its referrers';
  const others = reference.startsWith('sha256:') || wanted.kind !== 'signature' ? [] : await otherSignedDigests(source, repository, subject.digest);
  out.failures.push(others.length > 0
    ? `no ${noun} for ${subject.digest}, which ${name}:${reference} names now; signatures exist for ${others.join(', ')}: the tag was moved to another manifest after signing`
    : `no ${noun} for ${name}@${subject.digest}: ${looked}`);
  return out;
}
