/**
 * Admission requests from what the use cases hold: a container create (the engine's request,
 * already validated by the API), an update, a pull or a build's base image, with the image as the
 * store records it. Pure: the I/O (resolving the image, reading its config) is the caller's.
 */
import type { CreateContainerRequest } from '../../engine/create-container.js';
import type { ImageRecord } from '../../images/image-record.js';
import type { ImageConfig } from '../../oci/schemas.js';
import { parseReference } from '../../oci/reference.js';
import type { AdmissionOperation, AdmissionRequest, ContainerFacts, HostNamespace, ImageFacts } from './admission-request.js';

/** Whether `given` names an image by id (`sha256:…`, or a hex prefix of the image's id). */
function namesById(given: string, image: ImageRecord | undefined): boolean {
  if (image === undefined) return false;
  const hex = given.startsWith('sha256:') ? given.slice(7) : given;
  return /^[0-9a-f]{4,64}$/.test(hex) && image.id.slice(7).startsWith(hex);
}

/**
 * The image's facts: the reference as given (unless the image was named by id), its names and
 * config when it is in the store. `field` is the request field that named it.
 */
export function imageFacts(field: string, given: string, image?: ImageRecord, config?: ImageConfig): ImageFacts {
  const facts: ImageFacts = {
    field, given, implicitTag: false,
    names: image === undefined ? [] : [...image.names, ...image.repoDigests],
  };
  if (!namesById(given, image)) {
    const ref = parseReference(given);
    facts.reference = ref;
    facts.implicitTag = ref.digest === undefined && !/:[^/]*$/.test(given.split('@')[0] ?? '');
  }
  if (config !== undefined) facts.config = { user: config.config?.User ?? '', labels: config.config?.Labels ?? {} };
  return facts;
}

/** The options of a create request that rules look at. */
export function containerFacts(request: CreateContainerRequest): ContainerFacts {
  const { options } = request;
  const hostNamespaces: HostNamespace[] = [];
  if (options.pidMode === 'host') hostNamespaces.push('pid');
  if (options.networkMode === 'host') hostNamespaces.push('network');
  if (options.ipcMode === 'host') hostNamespaces.push('ipc');
  if (options.utsMode === 'host') hostNamespaces.push('uts');
  if (request.usernsMode === 'host') hostNamespaces.push('userns');
  const binds = (request.mounts ?? []).flatMap((mount) => (mount.type === 'bind'
    ? [{ source: mount.source, target: mount.target, field: mount.createHostPath ? 'HostConfig.Binds' : 'HostConfig.Mounts' }]
    : []));
  return {
    privileged: options.privileged === true,
    hostNamespaces,
    binds,
    capAdd: options.capAdd ?? [],
    user: options.user ?? '',
    ...(options.memory !== undefined && { memory: options.memory }),
    labels: options.labels ?? {},
  };
}

/** `POST /containers/create` (and `run`): the request, the image it resolved to and the image's config. */
export function createAdmission(request: CreateContainerRequest, image: ImageRecord, config: ImageConfig): AdmissionRequest {
  return { operation: 'create', image: imageFacts('Image', request.image, image, config), container: containerFacts(request) };
}

/**
 * `POST /containers/{id}/update`: the memory limit the container would have after the update
 * (the update's own, else the one it has). Other options cannot change by an update.
 */
export function updateAdmission(imageName: string, image: ImageRecord | undefined, current: CreateContainerRequest['options'], memory: number | undefined): AdmissionRequest {
  const after = memory ?? current.memory;
  const container: ContainerFacts = {
    privileged: current.privileged === true, hostNamespaces: [], binds: [], capAdd: [], user: current.user ?? '', labels: current.labels ?? {},
    ...(after !== undefined && { memory: after }),
  };
  return { operation: 'update', image: imageFacts('Image', imageName, image), container };
}

/** A pull (`fromImage`) or a build's base image (`FROM`), before anything is fetched. */
export function imageAdmission(operation: Extract<AdmissionOperation, 'pull' | 'build'>, reference: string, image?: ImageRecord, config?: ImageConfig): AdmissionRequest {
  return { operation, image: imageFacts(operation === 'pull' ? 'fromImage' : 'FROM', reference, image, config) };
}

/** What a cluster service's task template says that rules look at (the API reads it from the service spec). */
export interface ServiceTemplateFacts {
  image: string;
  /** Its bind mounts (`TaskTemplate.ContainerSpec.Mounts` of type bind). */
  binds: readonly { source: string; target: string }[];
  /** `TaskTemplate.Resources.Limits.MemoryBytes` (0: none). */
  memoryBytes: number;
  labels: Readonly<Record<string, string>>;
}

const TEMPLATE = 'TaskTemplate.ContainerSpec';

/**
 * A service's create or update on a manager: its task template as the create each of its tasks
 * will be, with the image as the manager's store knows it (if it has it). Swarm services have no
 * privileged mode, host namespaces, added capabilities or user to judge.
 */
export function serviceAdmission(template: ServiceTemplateFacts, image?: ImageRecord, config?: ImageConfig): AdmissionRequest {
  const container: ContainerFacts = {
    privileged: false, hostNamespaces: [], capAdd: [], user: '', labels: template.labels,
    binds: template.binds.map((bind) => ({ ...bind, field: `${TEMPLATE}.Mounts` })),
    ...(template.memoryBytes > 0 && { memory: template.memoryBytes }),
    fieldNames: { user: `${TEMPLATE}.User`, memory: 'TaskTemplate.Resources.Limits.MemoryBytes', labels: `${TEMPLATE}.Labels` },
  };
  return { operation: 'service', image: imageFacts(`${TEMPLATE}.Image`, template.image, image, config), container };
}
