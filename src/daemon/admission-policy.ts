/**
 * berthd's `--policy FILE`: the admission policy read at start (an invalid file stops berthd
 * before it serves, with the message naming the rule and field) and read again on SIGHUP (an
 * invalid new file is logged and the policy in force stays).
 */
import { messageOf } from '../base/errors.js';
import type { ImageService } from '../images/image-service.js';
import type { ScanService } from '../security/scan-service.js';
import { AdmissionGate, imageAdmission, loadPolicyFile, policySummary, type Policy, type PolicyDecisionSink } from '../security/admission/index.js';
import type { BaseImageAdmission } from '../build/steps/step-types.js';
import { SignatureChecker } from '../security/signing/signature-checker.js';

export interface DaemonAdmission {
  gate: AdmissionGate;
  /** The builder's check of FROM images (`admitBuildBase` of the gate). */
  admitBase: BaseImageAdmission;
  /** Stops listening for SIGHUP. */
  close(): void;
}

export interface DaemonAdmissionDeps {
  images: ImageService;
  scanner: ScanService;
  /** Registries reached over plain HTTP to read signatures (berthd's --insecure-registry). */
  insecureRegistries: readonly string[];
  audit?: PolicyDecisionSink;
  log: (message: string) => void;
}

/** The policy of `--policy`, read before berthd opens anything. Throws invalid-argument (`invalid-policy-file`) for a bad file. */
export async function readPolicyFlag(path: string | undefined): Promise<{ path: string; policy: Policy } | undefined> {
  return path === undefined ? undefined : { path, policy: await loadPolicyFile(path) };
}

/** The gate of the policy read by `readPolicyFlag` (undefined without one), reloaded on SIGHUP until `close`. */
export function openDaemonAdmission(flag: { path: string; policy: Policy } | undefined, deps: DaemonAdmissionDeps): DaemonAdmission | undefined {
  if (flag === undefined) return undefined;
  const { path, policy } = flag;
  const signatures = new SignatureChecker({ insecureRegistries: deps.insecureRegistries });
  const gate = new AdmissionGate({ policy, images: deps.images, scanner: deps.scanner, signatures, log: (message) => { deps.log(`policy: ${message}`); }, ...(deps.audit !== undefined && { audit: deps.audit }) });
  deps.log(`policy ${path}: ${policySummary(policy)}`);
  const reload = (): void => {
    loadPolicyFile(path).then((next) => {
      gate.replace(next);
      deps.log(`policy ${path} reloaded: ${policySummary(next)}`);
    }, (err: unknown) => {
      deps.log(`policy ${path} not reloaded, the previous one stays in force: ${messageOf(err)}`);
    });
  };
  process.on('SIGHUP', reload);
  return { gate, admitBase: admitBuildBase(gate), close: () => { process.off('SIGHUP', reload); } };
}

/** The builder's check of a FROM image of the store: the image rules of the policy, as at a pull. */
export function admitBuildBase(gate: AdmissionGate): BaseImageAdmission {
  return async (reference, image) => (gate.active ? gate.admit(imageAdmission('build', reference, image), { imageId: image.id }) : []);
}
