/**
 * The API's side of admission policies (security/admission/): the requests a route hands the
 * node's gate, built from what the route has validated. A refusal is the gate's permission-denied
 * (403, the message naming the rule, field and value), thrown before anything is changed.
 */
import { errors, isBerthError } from '../base/errors.js';
import { componentLogger } from '../base/logger.js';
import type { ContainerEngine } from '../engine/container-engine.js';
import type { CreateContainerRequest } from '../engine/create-container.js';
import type { ResourceUpdate } from '../engine/container-update.js';
import type { ImageRecord } from '../images/image-record.js';
import type { ImageService } from '../images/image-service.js';
import type { RegistryCredentials } from '../wire/registry-auth.js';
import type { ServiceSpec } from '../cluster/objects/service.js';
// From their modules, not the folder's index: that one also brings the policy file's YAML parser, which only `--policy` needs.
import { createAdmission, imageAdmission, serviceAdmission, updateAdmission } from '../security/admission/admission-facts.js';
import type { AdmissionGate } from '../security/admission/admission-gate.js';

const log = componentLogger('api');

/**
 * Before a create: resolves with the warnings of `warn` rules. An unknown image is left to the
 * engine (404). The image admitted is the image created from: if its name moved to another image
 * while the policy was evaluated (a scan takes time), conflict (`image-changed`). The caller
 * creates right after, with no I/O between, so the engine resolves the name to the same image.
 */
export async function admitCreate(gate: AdmissionGate | undefined, engine: ContainerEngine, request: CreateContainerRequest): Promise<string[]> {
  if (gate?.active !== true) return [];
  let image: ImageRecord;
  try {
    image = engine.resolveImage(request.image);
  } catch (err) {
    if (isBerthError(err, 'not-found')) return [];
    throw err;
  }
  const warnings = await gate.admit(createAdmission(request, image, await engine.imageConfig(image.id)), { imageId: image.id });
  if (safeResolve(engine, request.image)?.id !== image.id) {
    throw errors.conflict('image-changed', `${request.image} names another image than the one the admission policy checked: try again`);
  }
  return warnings;
}

/** Before an update: the memory limit the container would have after it. */
export async function admitUpdate(gate: AdmissionGate | undefined, engine: ContainerEngine, ref: string, resources: ResourceUpdate): Promise<string[]> {
  if (gate?.active !== true) return [];
  const record = engine.inspect(ref);
  const image = safeResolve(engine, record.imageId);
  return gate.admit(updateAdmission(record.config.image, image, record.config.options, resources.memory));
}

function safeResolve(engine: ContainerEngine, imageId: string): ImageRecord | undefined {
  try {
    return engine.resolveImage(imageId);
  } catch (err) {
    // The image's names only widen what `match` sees; a removed image (not-found) has none.
    if (!isBerthError(err, 'not-found')) log.warn('resolving an image for an admission check failed', { err, image: imageId });
    return undefined;
  }
}

/** Before a pull fetches anything: the rules on the reference (registries, tags, digests) and its signature at the registry. */
export async function admitPullReference(gate: AdmissionGate | undefined, reference: string, credentials?: RegistryCredentials): Promise<string[]> {
  if (gate?.active !== true) return [];
  return gate.admit(imageAdmission('pull', reference), { only: 'reference', ...(credentials !== undefined && { credentials }) });
}

/**
 * Once a pull has stored the image: its vulnerabilities, and the signature of the digest stored
 * (the tag may have moved since it was checked). When an `enforce` rule refuses it, the
 * pull is undone — the name goes back to the image it named before (or away), and an image the
 * pull added that nothing else names is removed — and the refusal is thrown.
 */
export async function admitPulledImage(gate: AdmissionGate | undefined, images: ImageService, reference: string, before: ImageRecord | undefined, credentials?: RegistryCredentials): Promise<string[]> {
  if (gate?.active !== true) return [];
  const pulled = images.resolve(reference);
  try {
    return await gate.admit(imageAdmission('pull', reference, pulled), { imageId: pulled.id, only: 'content', ...(credentials !== undefined && { credentials }) });
  } catch (err) {
    if (isBerthError(err, 'permission-denied')) await undoPull(images, reference, before, pulled);
    throw err;
  }
}

/** The image `reference` names now, if any (what undoing a pull restores). */
export function imageNamed(images: ImageService, reference: string): ImageRecord | undefined {
  try {
    return images.resolve(reference);
  } catch (err) {
    // not-found: it names none
    if (!isBerthError(err, 'not-found')) log.warn('resolving an image reference failed', { err, reference });
    return undefined;
  }
}

async function undoPull(images: ImageService, reference: string, before: ImageRecord | undefined, pulled: ImageRecord): Promise<void> {
  if (before?.id === pulled.id) return; // it was already here under that name
  if (before !== undefined) images.tag(before.id, reference);
  else await images.remove([reference]);
  const left = imageNamed(images, pulled.id);
  if (left !== undefined && left.names.length === 0 && before !== undefined) await images.remove([pulled.id]);
}

/**
 * Before a manager stores a service's new spec (create or update): its task template judged as
 * the create each task will be, with the image as this manager's store knows it (absent: its
 * user, labels and vulnerabilities are unknown, and the rules say what that means). Each node
 * still checks its own creates with its own policy.
 */
export async function admitService(gate: AdmissionGate | undefined, images: ImageService, spec: ServiceSpec): Promise<string[]> {
  if (gate?.active !== true) return [];
  const { containerSpec, resources } = spec.taskTemplate;
  const image = imageNamed(images, containerSpec.image);
  const binds = containerSpec.mounts.flatMap((mount) => (mount.type === 'bind' && mount.source !== undefined ? [{ source: mount.source, target: mount.target }] : []));
  const request = serviceAdmission({ image: containerSpec.image, binds, memoryBytes: resources.limits.memoryBytes, labels: containerSpec.labels }, image, image === undefined ? undefined : await images.config(image));
  return gate.admit(request, image === undefined ? {} : { imageId: image.id });
}
