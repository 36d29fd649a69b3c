/**
 * Signs an image in a registry with a key: a signature (cosign's classic layout or a Sigstore
 * bundle attached as a referrer) or an attestation (an in-toto statement with a predicate, in a
 * bundle). What is signed is always the manifest digest the reference resolves to when signing.
 */
import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import type { RegistryClient } from '../../images/distribution/registry-client.js';
import { keyId, publicKeyOf } from './public-keys.js';
import { signDsseBundle } from './dsse-bundles.js';
import { SIGN_PREDICATE_TYPE, statement } from './in-toto.js';
import { appendClassicSignature, attachBundle } from './signature-registry.js';
import { httpSource, type SignedSubject } from './signature-source.js';
import { simpleSigningPayload } from './simple-signing.js';

/** `bundle`: a Sigstore bundle as a referrer (cosign 3's default); `classic`: `sha256-<hex>.sig` (cosign 2's). */
export type SignatureFormat = 'bundle' | 'classic';

export interface Signed {
  subject: SignedSubject;
  /** Where the signature was stored. */
  where: string;
}

/** Signs what `reference` of `repository` names; `identity` is the name written into the payload (`domain/path`, as cosign). */
export async function signImage(client: RegistryClient, repository: string, reference: string, privateKey: KeyObject, format: SignatureFormat, identity: string): Promise<Signed> {
  const subject = await httpSource(client).subject(repository, reference);
  if (format === 'classic') {
    const payload = simpleSigningPayload(identity, subject.digest);
    const signature = cryptoSign('sha256', payload, privateKey).toString('base64');
    const where = await appendClassicSignature(client, repository, subject.digest, payload, { signature, keyId: keyId(publicKeyOf(privateKey)) });
    return { subject, where };
  }
  const bundle = await signDsseBundle(privateKey, statement(identity, subject.digest, SIGN_PREDICATE_TYPE, {}));
  const where = await attachBundle(client, subject, bundle, { content: 'dsse-envelope', predicateType: SIGN_PREDICATE_TYPE, created: new Date() });
  return { subject, where };
}

/** Attaches a signed attestation: `predicate` (an SBOM document) of `predicateType` about the image. */
export async function attestImage(client: RegistryClient, repository: string, reference: string, privateKey: KeyObject, predicateType: string, predicate: unknown, identity: string): Promise<Signed> {
  const subject = await httpSource(client).subject(repository, reference);
  const bundle = await signDsseBundle(privateKey, statement(identity, subject.digest, predicateType, predicate));
  const where = await attachBundle(client, subject, bundle, { content: 'dsse-envelope', predicateType, created: new Date() });
  return { subject, where };
}
