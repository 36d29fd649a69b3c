/**
 * The policy in force on a node and its enforcement: berthd's API asks the gate before a create,
 * an update, a pull or a build's base image. The gate fills in what the evaluator needs and cannot
 * read itself (the image's vulnerability counts: its last scan at the current database generation,
 * else a scan now when a rule says `scan`; the signatures of `signed` rules, verified at the
 * registry), evaluates, logs every violation, records the decision
 * in the audit trail when there is one, and refuses when an `enforce` rule is broken:
 * permission-denied (reason `policy-violation`), the message naming each rule, field and value.
 * `replace` swaps the policy (SIGHUP); a request evaluates against the policy it started with.
 */
import { errors } from '../../base/errors.js';
import type { ImageService } from '../../images/image-service.js';
import type { ScanService } from '../scan-service.js';
import type { SignatureChecker } from '../signing/signature-checker.js';
import type { RegistryCredentials } from '../../wire/registry-auth.js';
import type { PolicyEntry } from '../audit/index.js';
import { severityCounts } from '../rescan/rescan-findings.js';
import { violationMessage, type AdmissionRequest, type Violation, type VulnerabilityFacts } from './admission-request.js';
import { applicableRules, evaluatePolicy, signedRules, vulnerabilityNeeds } from './evaluate-policy.js';
import { gatherSignatures } from './signature-facts.js';
import { EMPTY_POLICY, type Policy } from './policy-file.js';

/** Where decisions are recorded (the audit trail's `append`). */
export interface PolicyDecisionSink {
  append(entry: PolicyEntry): Promise<unknown>;
}

export interface AdmissionGateOptions {
  policy?: Policy;
  /** The store the scanner reads images from; without it (or the scanner) an image's vulnerabilities are unknown (unscanned). */
  images?: ImageService;
  /** The scanner and its database. */
  scanner?: ScanService;
  /** Verifies the signatures of `signed` rules; without it, they are judged not verified. */
  signatures?: Pick<SignatureChecker, 'check' | 'clear'>;
  /** One line per violation (berthd's log); without it, none. */
  log?: (message: string) => void;
  audit?: PolicyDecisionSink;
}

export interface AdmitOptions {
  /** The image's id when it is in the store (its vulnerabilities can then be looked up). */
  imageId?: string;
  /**
   * Only these rules: a pull checks the rules on the reference and its signature first, then
   * (`content`) the vulnerabilities and the signature of what it stored.
   */
  only?: 'reference' | 'content';
  /** The client's credentials for the image's registry (a pull's), to read signatures. */
  credentials?: RegistryCredentials;
}

const CONTENT_KINDS = new Set(['vulnerabilities', 'signed']);

export class AdmissionGate {
  #policy: Policy;

  constructor(private readonly options: AdmissionGateOptions) {
    this.#policy = options.policy ?? EMPTY_POLICY;
  }

  get policy(): Policy {
    return this.#policy;
  }

  /** The policy from now on (requests already being evaluated keep theirs). */
  replace(policy: Policy): void {
    this.#policy = policy;
    this.options.signatures?.clear();
  }

  /** Whether the policy has rules at all (nothing to do otherwise). */
  get active(): boolean {
    return this.#policy.rules.length > 0;
  }

  /**
   * Evaluates `request`; resolves with the warnings for the client (`warn` rules), throws
   * permission-denied (`policy-violation`) when an `enforce` rule is broken.
   */
  async admit(request: AdmissionRequest, options: AdmitOptions = {}): Promise<string[]> {
    const violations = await this.evaluate(request, options);
    if (violations.length === 0) return [];
    const messages = violations.map(violationMessage);
    for (const message of messages) this.options.log?.(`${request.operation} ${JSON.stringify(request.image.given)}: ${message}`);
    const refused = violations.some((v) => v.mode === 'enforce');
    const decision = refused ? 'refused' : violations.some((v) => v.mode === 'warn') ? 'warned' : 'audited';
    await this.options.audit?.append({ type: 'policy', operation: request.operation, image: request.image.given, decision, violations: messages });
    if (refused) {
      throw errors.permissionDenied('policy-violation', violations.filter((v) => v.mode === 'enforce').map(violationMessage).join('; '));
    }
    return violations.filter((v) => v.mode === 'warn').map(violationMessage);
  }

  /**
   * The violations of `request`, with the image's vulnerabilities looked up (or scanned) when a
   * rule needs them; nothing is logged, recorded or refused (`berth policy check`).
   */
  async evaluate(request: AdmissionRequest, options: AdmitOptions = {}): Promise<Violation[]> {
    const full = this.#policy;
    if (full.rules.length === 0) return [];
    const policy = options.only === undefined ? full : {
      ...full, rules: full.rules.filter((rule) => (options.only === 'content' ? CONTENT_KINDS.has(rule.kind) : rule.kind !== 'vulnerabilities')),
    };
    if (applicableRules(policy, request).length === 0) return [];
    let image = request.image;
    const needs = vulnerabilityNeeds(policy, request);
    if (needs.needed && options.imageId !== undefined) image = { ...image, vulnerabilities: await this.vulnerabilities(options.imageId, needs.scan) };
    const signed = signedRules(policy, request);
    if (signed.length > 0 && this.options.signatures !== undefined) image = { ...image, signatures: await gatherSignatures(this.options.signatures, signed, request, options.credentials) };
    return evaluatePolicy(policy, { ...request, image });
  }

  /** The image's last scan when it is of the current database generation, else a scan now (of a never-scanned image only when asked). */
  private async vulnerabilities(imageId: string, scanNow: boolean): Promise<VulnerabilityFacts> {
    const { scanner, images } = this.options;
    if (scanner === undefined || images === undefined) return { state: 'unscanned' };
    const last = scanner.scans.lastScan(imageId);
    if (last !== undefined && last.generation === scanner.vulns.generation()) return { state: 'scanned', counts: last.counts };
    // Never scanned: only when a rule says so. Scanned against an older database: matched again
    // (the layers' inventories are cached, so only the matching runs).
    if (last === undefined && !scanNow) return { state: 'unscanned' };
    const report = await scanner.scan(imageId, images);
    return { state: 'scanned', counts: severityCounts(report.findings) };
  }
}
