/**
 * The policy evaluator: which rules apply to a request (operation and `match`), and what each of
 * them finds wrong. Pure and synchronous — it runs on every container create — with no I/O: the
 * facts it needs (the image's config, its vulnerability counts, its signatures) are in the request.
 */
import type { AdmissionOperation, AdmissionRequest, ContainerFacts, Violation } from './admission-request.js';
import type { CompiledRule, Policy } from './policy-file.js';
import { matchCandidates } from './image-pattern.js';
import { checkDigest, checkNoLatest, checkRegistries, checkSigned, checkVulnerabilities, type Breach } from './image-rules.js';
import {
  checkBindMounts, checkCapabilities, checkHostNamespaces, checkMemoryLimit, checkNonRoot, checkPrivileged, checkRequiredLabels,
} from './container-rules.js';

const IMAGE_KINDS = new Set<CompiledRule['kind']>(['vulnerabilities', 'registries', 'no-latest', 'digest', 'signed']);

/**
 * Which operations a kind of rule looks at: image rules at create, pull, build and service;
 * container rules at create and service (a task template is a create to come); memory also at update.
 */
function appliesTo(rule: CompiledRule, operation: AdmissionOperation): boolean {
  if (IMAGE_KINDS.has(rule.kind)) return operation !== 'update';
  if (rule.kind === 'memory-limit') return operation === 'create' || operation === 'update' || operation === 'service';
  return operation === 'create' || operation === 'service';
}

/**
 * The names a rule's `match` is tried on: the reference given; for an image named by id, the
 * local image's names and `repo@digest` references (it has no other).
 */
function candidatesOf(request: AdmissionRequest): string[] {
  const { reference, names } = request.image;
  if (reference === undefined) return names.flatMap(matchCandidates);
  return matchCandidates(`${reference.domain}/${reference.path}${reference.tag === undefined ? '' : `:${reference.tag}`}${reference.digest === undefined ? '' : `@${reference.digest}`}`);
}

/** The rules of `policy` that apply to `request`, in the file's order. */
export function applicableRules(policy: Policy, request: AdmissionRequest): CompiledRule[] {
  let candidates: string[] | undefined;
  return policy.rules.filter((rule) => {
    if (!appliesTo(rule, request.operation)) return false;
    if (rule.patterns === undefined) return true;
    candidates ??= candidatesOf(request);
    const names = candidates;
    return rule.patterns.some((pattern) => pattern.matchesAny(names));
  });
}

/** Whether evaluating `request` needs the image's vulnerability counts, and whether a rule asks to scan an unscanned image. */
export function vulnerabilityNeeds(policy: Policy, request: AdmissionRequest): { needed: boolean; scan: boolean } {
  const rules = applicableRules(policy, request).flatMap((rule) => (rule.kind === 'vulnerabilities' ? [rule] : []));
  return { needed: rules.length > 0, scan: rules.some((rule) => rule.unscanned === 'scan') };
}

/** The `signed` rules that apply to `request` (the gate verifies their signatures first). */
export function signedRules(policy: Policy, request: AdmissionRequest): CompiledRule[] {
  return applicableRules(policy, request).filter((rule) => rule.kind === 'signed');
}

function breachesOf(rule: CompiledRule, request: AdmissionRequest): Breach[] {
  const { image } = request;
  // Container rules see nothing to judge in a request without a container (appliesTo keeps them out).
  const ofContainer = (check: (container: ContainerFacts) => Breach[]): Breach[] => (request.container === undefined ? [] : check(request.container));
  switch (rule.kind) {
    case 'vulnerabilities': return checkVulnerabilities(image, rule.severity, rule.unscanned);
    case 'registries': return checkRegistries(image, rule.allow);
    case 'no-latest': return checkNoLatest(image);
    case 'digest': return checkDigest(image);
    case 'signed': return checkSigned(image, rule.name);
    case 'no-privileged': return ofContainer(checkPrivileged);
    case 'no-host-namespaces': return ofContainer((c) => checkHostNamespaces(c, rule.namespaces));
    case 'no-bind-mounts': return ofContainer((c) => checkBindMounts(c, rule.paths));
    case 'capabilities': return ofContainer((c) => checkCapabilities(c, rule.allow));
    case 'non-root': return ofContainer((c) => checkNonRoot(c, image));
    case 'memory-limit': return ofContainer((c) => checkMemoryLimit(c, rule.max));
    case 'required-labels': return ofContainer((c) => checkRequiredLabels(c, image, rule.labels));
  }
}

/** Every violation of `request` against `policy`, in the file's order of rules. */
export function evaluatePolicy(policy: Policy, request: AdmissionRequest): Violation[] {
  return applicableRules(policy, request).flatMap((rule) => breachesOf(rule, request).map((breach) => ({ rule: rule.name, mode: rule.mode, ...breach })));
}
