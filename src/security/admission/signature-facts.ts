/**
 * The signatures a `signed` rule is judged on, gathered by the gate before the (pure) evaluation:
 * which digest to verify, asked of the rule's keys through the signing module's checker.
 *
 * The digest is the one that runs: for an image of the store, its `repo@digest` from the
 * registry it was pulled from (a name that is only a local tag — built, loaded, or re-tagged
 * here — has none, and so no signature can name it); for a pull, a cluster service (whose tasks
 * pull on their nodes) or an image not in the store, the digest the registry resolves the
 * reference to now (a pull checks again what it stored).
 */
import type { RegistryCredentials } from '../../wire/registry-auth.js';
import type { SignatureChecker, SignatureFact, SignatureTarget } from '../signing/signature-checker.js';
import type { AdmissionRequest, SignatureFacts } from './admission-request.js';
import type { CompiledRule } from './policy-file.js';

/** What the gate asks of the signing module's checker. */
export type SignatureChecks = Pick<SignatureChecker, 'check'>;

/** The registry names (`domain/path@digest`) of the image that the request's reference may run. */
function targetsOf(request: AdmissionRequest): SignatureTarget[] | string {
  const { reference, names } = request.image;
  const stored = names.flatMap((name) => {
    const at = name.indexOf('@');
    if (at < 0) return [];
    const repository = name.slice(0, at);
    const slash = repository.indexOf('/');
    return [{ domain: repository.slice(0, slash), path: repository.slice(slash + 1), reference: name.slice(at + 1) }];
  });
  // A service's tasks pull the reference on their nodes: the registry says which digest they will run.
  if (request.operation === 'service' && reference !== undefined) return [{ domain: reference.domain, path: reference.path, reference: reference.digest ?? reference.tag ?? 'latest' }];
  if (reference === undefined) return stored.length > 0 ? stored : 'has no digest from a registry (built, loaded or re-tagged on this machine): no signature can name it';
  const ofRepository = stored.filter((t) => t.domain === reference.domain && t.path === reference.path && (reference.digest === undefined || t.reference === reference.digest));
  if (ofRepository.length > 0) return ofRepository;
  // Not in the store (a pull; `berth policy check` of a remote image): the registry says which digest.
  if (request.operation === 'pull' || names.length === 0) return [{ domain: reference.domain, path: reference.path, reference: reference.digest ?? reference.tag ?? 'latest' }];
  return `has no digest from ${reference.domain}/${reference.path} (built, loaded or re-tagged on this machine): no signature can name it`;
}

async function firstVerified(checker: SignatureChecks, targets: readonly SignatureTarget[], rule: CompiledRule, credentials: RegistryCredentials | undefined): Promise<SignatureFact> {
  let last: SignatureFact | undefined;
  for (const target of targets) {
    last = await checker.check(target, rule.trustedKeys ?? [], credentials);
    if (last.verified) return last;
  }
  return last ?? { verified: false, why: 'no digest to verify' };
}

/** Each rule's finding, by rule name. */
export async function gatherSignatures(checker: SignatureChecks, rules: readonly CompiledRule[], request: AdmissionRequest, credentials?: RegistryCredentials): Promise<SignatureFacts> {
  const targets = targetsOf(request);
  const facts: Record<string, SignatureFacts[string]> = {};
  for (const rule of rules) {
    if (typeof targets === 'string') {
      facts[rule.name] = { verified: false, why: targets };
      continue;
    }
    const fact = await firstVerified(checker, targets, rule, credentials);
    facts[rule.name] = fact.verified ? { verified: true, detail: fact.detail } : { verified: false, why: fact.why };
  }
  return facts;
}
