/**
 * `berth sign | verify | attest | verify-attestation` in the berth process (the `signing` port,
 * cli/berth-ports.ts): key files read here, the registry reached with berth's distribution client
 * and the user's credentials, signatures made and checked by security/signing.
 */
import { readFile } from 'node:fs/promises';
import { errors } from '../../base/errors.js';
import type { SigningCommands, SigningRegistryOptions, VerificationView } from '../../cli/berth-ports.js';
import { RegistryClient } from '../../images/distribution/registry-client.js';
import { parseReference, repositoryName, type ImageReference } from '../../oci/reference.js';
import {
  ATTESTATION_PREDICATE_TYPES, attestImage, httpSource, loadSigningKey, loadTrustedKeys, signImage, verifyImage, writeKeyPair, type AttestationType,
} from '../../security/signing/index.js';

function clientFor(ref: ImageReference, options: SigningRegistryOptions): RegistryClient {
  return new RegistryClient(ref.domain, { insecureRegistries: options.insecureRegistries, ...(options.credentials !== undefined && { credentials: options.credentials }) });
}

function referenceText(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

function predicateType(type: string): string {
  if (type in ATTESTATION_PREDICATE_TYPES) return ATTESTATION_PREDICATE_TYPES[type as AttestationType];
  if (/^https?:\/\//.test(type)) return type;
  throw errors.invalidArgument('invalid-attestation-type', `--type "${type}": expected cyclonedx, spdx, or a predicate type URI`);
}

async function readPredicate(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw errors.notFound('predicate-not-found', `--predicate ${file}: cannot read it`, { cause });
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw errors.invalidArgument('invalid-predicate', `--predicate ${file}: not JSON`, { cause });
  }
}

export const localSigning: SigningCommands = {
  generateKeyPair: (prefix, password) => writeKeyPair(prefix, password),

  async sign(image, options) {
    const ref = parseReference(image);
    const key = await loadSigningKey(options.keyFile, options.password);
    const signed = await signImage(clientFor(ref, options), ref.path, referenceText(ref), key, options.format, repositoryName(ref));
    return { image: `${repositoryName(ref)}@${signed.subject.digest}`, where: signed.where };
  },

  async attest(image, options) {
    const ref = parseReference(image);
    const type = predicateType(options.type);
    const key = await loadSigningKey(options.keyFile, options.password);
    const predicate = await readPredicate(options.predicateFile);
    const signed = await attestImage(clientFor(ref, options), ref.path, referenceText(ref), key, type, predicate, repositoryName(ref));
    return { image: `${repositoryName(ref)}@${signed.subject.digest}`, where: signed.where };
  },

  async verify(image, options): Promise<VerificationView> {
    const ref = parseReference(image);
    const keys = await loadTrustedKeys(options.keyFiles);
    const wanted = options.attestation
      ? { kind: 'attestation' as const, ...(options.attestationType !== undefined && { predicateType: predicateType(options.attestationType) }) }
      : { kind: 'signature' as const };
    const result = await verifyImage(httpSource(clientFor(ref, options)), ref.path, referenceText(ref), keys, wanted);
    return {
      image: `${repositoryName(ref)}@${result.subject.digest}`,
      verified: result.verified.map((v) => ({ format: v.format, keyFile: v.key.file, where: v.where, payload: v.payload, ...(v.note !== undefined && { note: v.note }) })),
      failures: result.failures,
    };
  },
};
