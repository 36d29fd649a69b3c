/**
 * `create`: checks the request, claims the name, prepares the container's writable layer over its
 * image and writes its etc files. Nothing runs yet. On failure nothing is left behind.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { hostname as hostHostname } from 'node:os';
import type { Clock } from '../base/clock.js';
import { failpoint } from '../base/failpoint.js';
import { DEFAULT_SECCOMP_PROFILE } from '../runtime/seccomp/default-profile.js';
import { buildSpec } from '../runtime/spec/build-spec.js';
import type { ContainerNetworkRequest } from '../network/container-network.js';
import type { ContainerOptions } from '../runtime/spec/container-options.js';
import type { ImageRecord } from '../images/image-record.js';
import type { ImageConfig } from '../oci/schemas.js';
import type { VolumeService } from '../volumes/volume-service.js';
import type { ContainerLogs } from './container-logs.js';
import type { ContainerPaths } from './container-paths.js';
import type { ContainerStore } from './container-store.js';
import type { NetworkingContext } from './container-networking.js';
import type { TaskContext } from './container-task.js';
import { checkContainerName, generateContainerName } from './container-names.js';
import { initialState, type ContainerConfig, type ContainerRecord } from './container-record.js';
import { resolveContainerNetwork } from './container-networking.js';
import { cgroupsPathOf } from './container-task.js';
import { etcFiles } from './etc-files.js';
import type { MountRequest } from '../volumes/mount-request.js';
import { planMounts } from './plan-mounts.js';
import { resolveInitPath } from './task-mounts.js';
import { ensureVolumes } from './volume-usage.js';
import { lifecycleConfig, type LifecycleRequest } from './lifecycle-config.js';
import type { UsernsMode } from '../runtime/userns/id-ranges.js';
import { chooseUserns, chownEtcFiles, createVolumesFor } from './userns-container.js';
import type { LogConfigRequest } from '../runtime/logging/log-options.js';
import { inheritedMounts, type VolumesFromRequest } from './volumes-from.js';
import { resolveLinks, type LinkRequest } from './container-links.js';
import { checkHostSupport } from './host-facts.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';

const log = componentLogger('engine');

export interface CreateContainerRequest extends LifecycleRequest {
  /** Image reference or id. */
  image: string;
  name?: string;
  options: ContainerOptions;
  autoRemove?: boolean;
  stopSignal?: string;
  stopTimeout?: number;
  stdinOnce?: boolean;
  attachStdin?: boolean;
  attachStdout?: boolean;
  attachStderr?: boolean;
  /** Docker's LogConfig (`--log-driver`, `--log-opt`); the engine's default driver when absent. */
  log?: LogConfigRequest;
  /** [rows, cols] of the TTY at start. */
  consoleSize?: [number, number];
  /** Volumes, binds and tmpfs mounts (`-v`, `--mount`); the image's VOLUMEs are added. */
  mounts?: MountRequest[];
  /** Bridge networks / `container:<id>`; absent = `options.networkMode` (none or host). */
  network?: ContainerNetworkRequest;
  /** The OCI runtime (`runc`, `crun`); absent = the engine's default. */
  runtime?: string;
  /** `--userns`: `auto` = its own user namespace and id range; absent = the engine's default. */
  usernsMode?: UsernsMode;
  /** `--volumes-from`: containers whose volumes and binds it mounts at the same places. */
  volumesFrom?: VolumesFromRequest[];
  /** `--link name:alias` (legacy links, default bridge). */
  links?: LinkRequest[];
  /** HostConfig.VolumeDriver: the driver of the volumes its binds and Config.Volumes create (`local`). */
  volumeDriver?: string;
  /** HostConfig.Isolation (`default`), kept for inspect. */
  isolation?: string;
}

/** What a create needs of the ctx. */
export interface CreateContext {
  /** The image a container would be created from; throws not-found (`no-such-image`). */
  resolveImage(ref: string): ImageRecord;
  imageConfig(imageId: string): Promise<ImageConfig>;
  store: ContainerStore;
  paths: ContainerPaths;
  task: TaskContext;
  logs: Pick<ContainerLogs, 'configFor'>;
  volumes: VolumeService;
  /** The networking glue (asked only when the request names networks and the node has them). */
  networking(): NetworkingContext;
}

/**
 * Throws not-found (`image-not-found`) for an unknown image, invalid-argument naming the option for
 * a bad option (everything buildSpec checks except user names, which need the root filesystem),
 * invalid-argument (`unknown-runtime`) naming a runtime this node lacks, conflict
 * (`container-name-taken`) for a name in use, invalid-argument (`no-such-container`) for a
 * `--volumes-from` or `--link` container that does not exist, (`*-unsupported`) for a limit this
 * host cannot apply, not-found (`no-such-driver`) for a volume driver other than `local`,
 * invalid-argument (`unknown-log-driver`, `unknown-log-opt`, `invalid-log-opt`) for its LogConfig.
 */
export async function prepareContainer(ctx: CreateContext, id: string, request: CreateContainerRequest, clock: Clock): Promise<ContainerRecord> {
  const image = ctx.resolveImage(request.image);
  const imageConfig = await ctx.imageConfig(image.id);
  const options: ContainerOptions = { ...request.options };
  if (options.networkMode === 'host' && options.hostname === undefined) options.hostname = hostHostname();
  const inherited = inheritedMounts(request.volumesFrom ?? [], (ref) => ctx.store.resolve(ref));
  const plan = await planMounts(request.mounts ?? [], imageConfig.config?.Volumes, options.tmpfs, {
    inherited, ...(request.volumeDriver === undefined ? {} : { volumeDriver: request.volumeDriver }),
  });
  if (plan.tmpfs !== undefined) options.tmpfs = plan.tmpfs;
  checkOptions(ctx, id, options, imageConfig.config);
  checkHostSupport(ctx.task.host, options);
  const links = resolveLinks(ctx.store, request.links, options.networkMode, request.network);
  const { runtimes } = ctx.task;
  const runtime = runtimes.get(request.runtime ?? runtimes.defaultName).name;

  const config: ContainerConfig = {
    image: request.image,
    options,
    autoRemove: request.autoRemove ?? false,
    stdinOnce: request.stdinOnce ?? false,
    attachStdin: request.attachStdin ?? false,
    attachStdout: request.attachStdout ?? true,
    attachStderr: request.attachStderr ?? true,
    log: ctx.logs.configFor(request.log),
    runtime,
  };
  if (request.stopSignal !== undefined) config.stopSignal = request.stopSignal;
  else if (imageConfig.config?.StopSignal !== undefined) config.stopSignal = imageConfig.config.StopSignal;
  if (request.stopTimeout !== undefined) config.stopTimeout = request.stopTimeout;
  if (plan.mounts.length > 0) config.mounts = plan.mounts;
  if (request.volumesFrom !== undefined) config.volumesFrom = request.volumesFrom.map((v) => v.spec);
  if (links.length > 0) config.links = links;
  if (request.volumeDriver !== undefined && request.volumeDriver !== '') config.volumeDriver = request.volumeDriver;
  if (request.isolation !== undefined && request.isolation !== '') config.isolation = request.isolation;
  if (request.network !== undefined && ctx.task.network !== undefined) {
    config.network = await resolveContainerNetwork(ctx.networking(), request.network, imageConfig.config?.ExposedPorts);
  }
  if (request.consoleSize !== undefined && request.consoleSize[0] > 0 && request.consoleSize[1] > 0) config.consoleSize = request.consoleSize;
  Object.assign(config, lifecycleConfig(request, imageConfig.config, config.autoRemove, options.labels));

  const name = request.name !== undefined && request.name !== ''
    ? checkContainerName(request.name)
    : generateContainerName((candidate) => ctx.store.findByName(candidate) !== undefined);
  // No await between choosing the range and inserting the record that claims it.
  const userns = chooseUserns(ctx.task.userns, request.usernsMode, options, () => ctx.store.list());
  if (userns !== undefined) config.userns = userns;
  // Until the create is complete its record carries a removal: a crash in between leaves nothing
  // half-made, the next berthd removes it with its anonymous volumes (live-restore.ts).
  const record: ContainerRecord = { id, name, imageId: image.id, createdAt: clock.now().toISOString(), config, state: initialState() };
  ctx.store.insert({ ...record, state: { ...record.state, removal: { volumes: true } } });
  try {
    const { paths } = ctx;
    await mkdir(paths.dir(id), { recursive: true, mode: 0o711 });
    await ctx.task.snapshotter.prepare(paths.snapshotKey(id), image.topChainId);
    const files = etcFiles({
      hostname: options.hostname ?? id.slice(0, 12),
      domainname: options.domainname,
      networkMode: options.networkMode ?? 'none',
      hostHosts: ctx.task.host.hosts,
      hostResolvConf: ctx.task.host.resolvConf,
    });
    await writeFile(paths.etcFile(id, 'hosts'), files.hosts);
    await writeFile(paths.etcFile(id, 'hostname'), files.hostname);
    await writeFile(paths.etcFile(id, 'resolv.conf'), files.resolvConf);
    if (userns !== undefined) await chownEtcFiles(paths, id, userns);
    // After the record: a concurrent `volume rm` either sees this container or ran before (and is undone here).
    if (userns === undefined) await ensureVolumes(ctx.volumes, plan.volumes);
    else await createVolumesFor(ctx.volumes, plan.volumes, userns);
    failpoint('create-before-complete');
    ctx.store.setState(id, record.state);
  } catch (err) {
    const key = ctx.paths.snapshotKey(id);
    // The create's error is the one thrown; what its undo leaves is logged.
    if (ctx.task.snapshotter.has(key)) await ctx.task.snapshotter.remove(key).catch(warnOnFailure(log, 'removing the snapshot of a failed create', { id, key }));
    await rm(ctx.paths.dir(id), { recursive: true, force: true });
    ctx.store.delete(id);
    for (const volume of plan.volumes) {
      if (volume.anonymous === true) await ctx.volumes.remove(volume.name).catch(warnOnFailure(log, 'removing an anonymous volume of a failed create', { id, volume: volume.name }));
    }
    throw err;
  }
  return record;
}

/** Runs the pure spec builder once, so bad options fail at create as in Docker. */
function checkOptions(ctx: CreateContext, id: string, options: ContainerOptions, image: Parameters<typeof buildSpec>[0]['image']): void {
  const { host } = ctx.task;
  // Group names need the root filesystem's /etc/group: checked at start, as users are (and as dockerd).
  const { groupAdd: _groups, ...checked } = options;
  buildSpec({
    id,
    image: { ...image, User: '' },
    options: { ...checked, user: '' },
    rootfsPath: '/',
    etcFiles: { hosts: '/hosts', hostname: '/hostname', resolvConf: '/resolv.conf' },
    cgroupsPath: cgroupsPathOf(ctx.task, id),
    hostLimits: host.limits,
    seccompProfile: DEFAULT_SECCOMP_PROFILE,
    hostCapabilities: host.capabilities,
    hostKernel: host.kernel,
    ...(options.init === true ? { initPath: resolveInitPath(ctx.task.initPath) } : {}),
  });
}
