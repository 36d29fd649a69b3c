/**
 * The pull gate of berth's registry (registry/policy/pull-gate.ts): `vulnerabilities` rules are
 * registry-pull-scans.ts's; for `signed` pull rules, a
 * manifest is served only when a signature by one of the rule's keys names its digest — or the
 * digest of an index of the repository that lists it (a platform manifest is pulled after its
 * signed index). Signatures are read from the registry's own storage, no HTTP. HEAD is never
 * gated: it serves no content, and signers resolve the digest they sign with it. Digests that
 * verified are remembered per key set (their content never changes).
 */
import { readFile } from 'node:fs/promises';
import type { Digest } from '../../base/digest.js';
import type { PullGate, PullRequest } from '../../registry/policy/pull-gate.js';
import type { PullRule } from '../../registry/policy/registry-policy.js';
import type { RegistryStorage } from '../../registry/registry.js';
import { parseReferrersIndex } from '../../security/signing/signature-layouts.js';
import { checkedBlob, type SignatureSource } from '../../security/signing/signature-source.js';
import { keyId, readPublicKey } from '../../security/signing/public-keys.js';
import type { TrustedKey } from '../../security/signing/trusted-keys.js';
import { verifyImage } from '../../security/signing/image-verifier.js';
import type { ScanService } from '../../security/scan-service.js';
import { vulnerabilityCheck } from './registry-pull-scans.js';

const MAX_REMEMBERED = 4096;

/** The objects of a registry's own storage, as a verification reads them. */
export function storageSource(storage: RegistryStorage, name: string): SignatureSource {
  const reference = (ref: string): { kind: 'tag'; tag: string } | { kind: 'digest'; digest: Digest } => (ref.startsWith('sha256:') ? { kind: 'digest', digest: ref as Digest } : { kind: 'tag', tag: ref });
  const manifest = async (repository: string, ref: string): Promise<{ bytes: Buffer; mediaType: string; digest: Digest } | undefined> => {
    const stored = await storage.manifests.resolve(repository, reference(ref));
    if (stored === undefined) return undefined;
    return { bytes: checkedBlob(await readFile(stored.path), stored.digest), mediaType: stored.mediaType, digest: stored.digest };
  };
  return {
    name,
    async subject(repository, ref) {
      const stored = await storage.manifests.resolve(repository, reference(ref));
      if (stored === undefined) throw new Error(`${repository}:${ref} is not in this registry`);
      return { repository, digest: stored.digest, mediaType: stored.mediaType, size: stored.size };
    },
    manifest,
    async blob(_repository, digest, limit) {
      const bytes = await storage.content.readBytes(digest);
      if (bytes.length > limit) throw new Error(`blob ${digest} is larger than ${limit} bytes`);
      return checkedBlob(bytes, digest);
    },
    referrers: (repository, digest, artifactType) => Promise.resolve(parseReferrersIndex(Buffer.from(JSON.stringify({
      schemaVersion: 2, manifests: storage.manifests.referrers(repository, digest, artifactType),
    })), `referrers of ${repository}@${digest}`)),
    tags: (repository) => Promise.resolve(storage.manifests.tags(repository, 10_000, undefined)),
  };
}

function trustedKeys(rule: Extract<PullRule, { kind: 'signed' }>): TrustedKey[] {
  return rule.keys.map((k) => {
    const key = readPublicKey(k.pem, k.file);
    return { id: keyId(key), key, file: k.file };
  });
}

/** The gate; `name` is how refusals name this registry; `scanner` opens the scan database `vulnerabilities` rules use. */
export function registryPullGate(name: string, scanner: () => ScanService): PullGate {
  const vulnerabilities = vulnerabilityCheck(scanner);
  const verified = new Set<string>();
  const remember = (key: string): void => {
    if (verified.size >= MAX_REMEMBERED) verified.delete(verified.values().next().value ?? '');
    verified.add(key);
  };
  const checkSigned = async (request: PullRequest, rule: Extract<PullRule, { kind: 'signed' }>): Promise<string | undefined> => {
    const keys = trustedKeys(rule);
    const keySet = keys.map((k) => k.id).sort().join(',');
    const source = storageSource(request.storage, name);
    const failures: string[] = [];
    for (const digest of [request.digest, ...request.indexes]) {
      const remembered = `${request.repository}@${digest}|${keySet}`;
      if (verified.has(remembered)) return undefined;
      const result = await verifyImage(source, request.repository, digest, keys, { kind: 'signature' });
      if (result.verified.length > 0) {
        remember(remembered);
        return undefined;
      }
      failures.push(...result.failures);
    }
    return `${request.repository}@${request.digest}: pull rule "${rule.name}": not signed by ${rule.keys.map((k) => k.file).join(', ')}: ${failures.join('; ')}`;
  };
  return {
    checkKey: (key) => { readPublicKey(key.pem, key.file); },
    async check(request) {
      if (request.method === 'HEAD') return undefined;
      for (const rule of request.rules) {
        const refusal = rule.kind === 'signed' ? await checkSigned(request, rule) : await vulnerabilities(request, rule);
        if (refusal !== undefined) return refusal;
      }
      return undefined;
    },
  };
}
