/**
 * The pull gate: a check the composition root installs (berthd, `berth registry serve`) that the
 * registry asks before it answers `GET`/`HEAD /v2/<name>/manifests/<ref>` of a repository the
 * policy's pull rules match — after authorization and after the reference was resolved to a
 * digest. The registry only matches rules and asks; what a rule means (for `signed`: a signature
 * by one of its keys) the gate decides. Signatures, attestations and other referrers are never
 * gated (signature-artifacts.ts), nor are blobs, tag lists and referrers lists.
 */
import { readFile } from 'node:fs/promises';
import type { Digest } from '../../base/digest.js';
import { messageOf } from '../../base/errors.js';
import type { Account } from '../auth/access-control.js';
import { registryError } from '../registry-errors.js';
import type { RegistryStorage } from '../registry.js';
import type { StoredManifest } from '../storage/manifest-store.js';
import { pullRulesFor, type PullKey, type PullRule, type RegistryPolicy } from './registry-policy.js';
import { isSignatureArtifact } from './signature-artifacts.js';

/** One pull the gate decides. */
export interface PullRequest {
  repository: string;
  /** The manifest the reference resolved to. */
  digest: Digest;
  /** As the client asked: a tag or a digest. */
  reference: string;
  /** The manifest's media type (an index, an image manifest). */
  mediaType: string;
  /**
   * The manifests of this repository that list this one (indexes): a platform manifest is pulled
   * by digest after its index, and is usually not signed itself — its index is.
   */
  indexes: readonly Digest[];
  method: 'GET' | 'HEAD';
  /** Who asks (undefined: anonymous, or a registry without authentication). */
  account: Account;
  /** The policy's pull rules that match the repository, in file order; never empty. */
  rules: readonly PullRule[];
  /** This registry's storage, to read what a decision needs (signature manifests and their blobs) without HTTP. */
  storage: RegistryStorage;
}

/**
 * Decides pulls under the policy's pull rules. `check` may run concurrently for many pulls; it
 * resolves undefined to allow, or the reason to refuse (the client gets 403 `DENIED` with it as
 * the message). A throw refuses too (its message says the check failed). It must not write to
 * the storage.
 */
export interface PullGate {
  /**
   * Optional: checks each key of each pull rule when a policy is read (at start and on SIGHUP),
   * before the policy takes effect; a throw makes the policy invalid, its message shown at the
   * key: `policy.yaml:5: pull rule "signed-prod" (pull[0]): field keys[0]: <message>`.
   */
  checkKey?(key: PullKey): void;
  check(request: PullRequest): Promise<string | undefined>;
}

/** What the manifest routes need to gate pulls: the policy in force and the installed gate. */
export interface PullGating {
  policy: () => RegistryPolicy;
  gate?: PullGate;
  storage: RegistryStorage;
}

/** One pull as the manifest routes see it, after authorization and resolution. */
export interface ManifestPull {
  repository: string;
  reference: string;
  manifest: StoredManifest;
  method: 'GET' | 'HEAD';
  account: Account;
}

/** Asks the gate when pull rules match; throws `DENIED` with its reason when it refuses. */
export async function gatePull(gating: PullGating, pull: ManifestPull): Promise<void> {
  const rules = pullRulesFor(gating.policy(), pull.repository);
  if (rules.length === 0) return;
  const bytes = await readFile(pull.manifest.path).catch(() => undefined);
  if (bytes !== undefined && isSignatureArtifact(pull.reference, bytes)) return;
  const { repository, reference, manifest } = pull;
  const refuse = (reason: string): never => {
    throw registryError('DENIED', reason, { name: repository, reference, digest: manifest.digest, rules: rules.map((rule) => rule.name) });
  };
  const gate = gating.gate;
  if (gate === undefined) return refuse(`pulls of ${repository} are under pull rule "${rules[0]?.name ?? ''}", but no pull gate is installed to check them`);
  let reason: string | undefined;
  try {
    reason = await gate.check({
      repository, reference, digest: manifest.digest, mediaType: manifest.mediaType,
      indexes: gating.storage.manifests.indexesOf(repository, manifest.digest),
      method: pull.method, account: pull.account, rules, storage: gating.storage,
    });
  } catch (err) {
    reason = `${repository}@${manifest.digest} could not be checked against pull rule "${rules[0]?.name ?? ''}": ${messageOf(err)}`;
  }
  if (reason !== undefined) refuse(reason);
}
