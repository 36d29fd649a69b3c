/**
 * The live side of a container (containerd's "task"): one run of its process under conmon + runc.
 * `createTask` mounts the root filesystem, writes the runtime spec and has conmon run `runc create`;
 * `cleanupTask` undoes all of it after the process has exited (or when a start fails half-way).
 * Callers serialize calls per container.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors, isBerthError } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { readFileInRoot } from '../mount/read-file-in-root.js';
import type { NetworkService } from '../network/network-service.js';
import type { ImageConfig } from '../oci/schemas.js';
import { removeCgroup } from '../runtime/cgroup-cleanup.js';
import { checkRealtimeBudget } from '../runtime/cgroup-realtime.js';
import { launchContainer, type LaunchedContainer } from '../runtime/conmon-launcher.js';
import { DEFAULT_RUNTIME, OciRuntimes, type OciRuntime } from '../runtime/oci-runtimes.js';
import type { CgroupLayout } from '../runtime/cgroup-layout.js';
import type { ContainerEngineOptions } from './container-engine-options.js';
import { findExecutable } from '../base/find-executable.js';
import { DEFAULT_SECCOMP_PROFILE } from '../runtime/seccomp/default-profile.js';
import { buildSpec } from '../runtime/spec/build-spec.js';
import type { RuntimeSpec } from '../runtime/spec/oci-runtime-spec.js';
import type { OverlaySnapshotter } from '../snapshots/overlay-snapshotter.js';
import { isMountPoint, unmountAll } from '../mount/mount-table.js';
import type { ContainerPaths } from './container-paths.js';
import type { ContainerRecord } from './container-record.js';
import type { HostFacts } from './host-facts.js';
import type { VolumeService } from '../volumes/volume-service.js';
import type { BindMountSpec } from '../runtime/spec/user-mounts.js';
import { prepareTaskMounts, resolveInitPath } from './task-mounts.js';
import { traced } from '../base/trace-spans.js';
import { DEFAULT_USERNS_POOL, type UsernsConfig } from '../runtime/userns/id-ranges.js';
import { DEFAULT_IDMAP_PROGRAM, unmountViewsBelow } from '../runtime/userns/idmapped-views.js';
import { mountUsernsRootfs, usernsRuntimeSpec, type UsernsSettings } from './userns-container.js';

export interface TaskContext {
  paths: ContainerPaths;
  /** The OCI runtimes by name; each container runs with the one its config names. */
  runtimes: OciRuntimes;
  runner: ProcessRunner;
  conmonPath: string;
  snapshotter: OverlaySnapshotter;
  host: HostFacts;
  /** Absolute cgroup under which each container gets `<parent>/<id>`. */
  cgroupParent: string;
  volumes: VolumeService;
  /** `--init` binary (name on PATH or path); tini-static when absent. */
  initPath?: string | undefined;
  /** Bridge networking; runs of containers with `config.network` need it. */
  network?: NetworkService;
  /** `--userns`: the id pool, the default mode, the id-mapping program. */
  userns: UsernsSettings;
}

/** The task context of an engine: its collaborators, with the options' settings and defaults. */
export function taskContext(
  options: Pick<ContainerEngineOptions, 'images' | 'conmonPath' | 'cgroupParent' | 'initPath' | 'usernsPool' | 'usernsDefault' | 'idmapProgram'>,
  parts: Pick<TaskContext, 'paths' | 'runtimes' | 'runner' | 'host' | 'volumes' | 'network'>,
): TaskContext {
  return {
    ...parts,
    conmonPath: findExecutable(options.conmonPath ?? 'conmon'),
    snapshotter: options.images.snapshotter,
    cgroupParent: options.cgroupParent ?? '/berth',
    initPath: options.initPath,
    userns: {
      pool: options.usernsPool ?? DEFAULT_USERNS_POOL, defaultMode: options.usernsDefault ?? 'host', program: options.idmapProgram ?? DEFAULT_IDMAP_PROGRAM,
    },
  };
}

/** Which OCI runtime binaries a node offers and which one containers get by default. */
export interface RuntimeChoice {
  runcPath?: string | undefined;
  /** The crun binary; absent: crun is offered when it is on PATH. */
  crunPath?: string | undefined;
  /** The runtime of containers created without `--runtime` (default runc). */
  defaultRuntime?: string | undefined;
}

/**
 * The engine's OCI runtimes on its state root: runc's `--root` stays `runc/`, others get
 * `runtime/<name>/`, crun's wrapper (hybrid hosts) is `runtime/crun-hybrid`. Throws as OciRuntimes.open.
 */
export function openRuntimes(paths: ContainerPaths, layout: CgroupLayout, runner: ProcessRunner, options: RuntimeChoice): Promise<OciRuntimes> {
  return OciRuntimes.open({
    runner, layout, stateDir: (name) => paths.runtimeState(name), wrapperDir: paths.runtimes,
    runcPath: options.runcPath, crunPath: options.crunPath, defaultRuntime: options.defaultRuntime,
  });
}

/** The name of the runtime the container runs with (records from before the choice existed: runc). */
export function runtimeNameOf(record: ContainerRecord): string {
  return record.config.runtime ?? DEFAULT_RUNTIME;
}

/**
 * The container's runtime. Throws failed-precondition (`runtime-unavailable`) when this node no
 * longer has it (it was checked at create: crun was uninstalled since, or berthd got another crun path).
 */
export function runtimeOf(ctx: Pick<TaskContext, 'runtimes'>, record: ContainerRecord): OciRuntime {
  const name = runtimeNameOf(record);
  if (!ctx.runtimes.has(name)) {
    throw errors.failedPrecondition('runtime-unavailable', `container ${record.id} runs with ${name}, which this node does not have (it has ${ctx.runtimes.names().join(', ')})`);
  }
  return ctx.runtimes.get(name);
}

export function cgroupsPathOf(ctx: Pick<TaskContext, 'cgroupParent'>, id: string): string {
  return `${ctx.cgroupParent}/${id}`;
}

/** Mounts the container's snapshot at its rootfs dir unless it already is mounted (id-mapped with `userns`). */
export async function mountRootfs(ctx: TaskContext, id: string, userns?: UsernsConfig): Promise<string> {
  const target = ctx.paths.rootfs(id);
  await mkdir(target, { recursive: true });
  if (await isMountPoint(target)) return target;
  if (userns === undefined) await ctx.snapshotter.mount(ctx.paths.snapshotKey(id), target);
  else await mountUsernsRootfs({ ...ctx, program: ctx.userns.program }, id, userns, target);
  return target;
}

/** The runtime spec of the container's next run (reads users from the mounted rootfs); `linkEnv` from its legacy links. */
export async function containerSpec(
  ctx: TaskContext, record: ContainerRecord, image: ImageConfig, rootfs: string, binds: BindMountSpec[] = [], netnsPath?: string, linkEnv: readonly string[] = [],
): Promise<RuntimeSpec> {
  const { id, config } = record;
  const spec = buildSpec({
    id,
    image: image.config,
    options: config.options,
    rootfsPath: rootfs,
    etcFiles: {
      hosts: ctx.paths.etcFile(id, 'hosts'),
      hostname: ctx.paths.etcFile(id, 'hostname'),
      resolvConf: ctx.paths.etcFile(id, 'resolv.conf'),
    },
    cgroupsPath: cgroupsPathOf(ctx, id),
    hostLimits: ctx.host.limits,
    passwd: await readFileInRoot(rootfs, '/etc/passwd'),
    group: await readFileInRoot(rootfs, '/etc/group'),
    seccompProfile: DEFAULT_SECCOMP_PROFILE,
    hostCapabilities: ctx.host.capabilities,
    hostKernel: ctx.host.kernel,
    binds,
    ...(config.options.init === true ? { initPath: resolveInitPath(ctx.initPath) } : {}),
    ...(netnsPath === undefined ? {} : { networkNamespacePath: netnsPath }),
    linkEnv,
  });
  return config.userns === undefined ? spec : usernsRuntimeSpec(ctx.runner, spec, config.userns, netnsPath);
}

/**
 * Mounts the rootfs, writes config.json and has conmon create the container (runc state
 * `created`; nothing of the user's process runs yet). Throws what buildSpec, checkRealtimeBudget
 * and launchContainer throw; the caller runs `cleanupTask` on failure.
 */
export async function createTask(
  ctx: TaskContext, record: ContainerRecord, image: ImageConfig, uuid: string, netnsPath?: string, linkEnv: readonly string[] = [],
): Promise<LaunchedContainer> {
  const { id, config } = record;
  const runtime = runtimeOf(ctx, record);
  await checkRealtimeBudget(ctx.host.cgroups, cgroupsPathOf(ctx, id), config.options.cpuRealtimeRuntime ?? 0);
  const rootfs = await traced('start: rootfs mount', () => mountRootfs(ctx, id, config.userns));
  await traced('start: runtime spec', async () => {
    const spec = await containerSpec(ctx, record, image, rootfs, await prepareTaskMounts(ctx.volumes, record, rootfs), netnsPath, linkEnv);
    await writeFile(ctx.paths.spec(id), JSON.stringify(spec));
    await rm(join(ctx.paths.exits, id), { force: true });
    await rm(ctx.paths.persist(id), { recursive: true, force: true });
  });
  return traced('start: conmon + runtime create', () => launchContainer({
    id,
    uuid,
    name: record.name,
    bundleDir: ctx.paths.dir(id),
    runtimeRoot: runtime.root,
    runcPath: runtime.path,
    conmonPath: ctx.conmonPath,
    logPath: ctx.paths.log(id),
    logSizeMax: config.log.maxSize,
    logDriver: config.log.driver === 'none' ? 'none' : 'k8s-file',
    exitDir: ctx.paths.exits,
    persistDir: ctx.paths.persist(id),
    socketDir: ctx.paths.sockets,
    pidFile: ctx.paths.pidFile(id),
    conmonPidFile: ctx.paths.conmonPidFile(id),
    workDir: ctx.paths.conmonDir(id),
    terminal: config.options.tty === true,
    stdin: config.options.openStdin === true,
    stdinOnce: config.stdinOnce,
    // No clock bounds the wait: it ends when conmon reports or exits (its sync pipe closes). A
    // container held to 1 ms of CPU per second needs long for runc's init; dockerd waits too.
  }));
}

/**
 * Removes what a run leaves once its process is gone: the runtime's state (and leaf cgroup), the
 * rootfs mount (and the id-mapped layer views of `--userns auto`), a leftover leaf cgroup, and (at
 * the same time) its networks (CNI DEL while the namespace exists, then the namespace). `runtime`
 * names the container's runtime; absent (a leftover without a record) or unknown to this node,
 * every runtime is asked. Idempotent; safe on a container that never ran.
 */
export async function cleanupTask(ctx: TaskContext, id: string, runtime?: string): Promise<void> {
  // The networks' detach (CNI DEL, then the namespace) needs nothing of the runtime's state, so it
  // runs alongside the runtime's cleanup; all finish before this returns, the first error wins.
  const detached = (ctx.network?.attachments.detachAll(id) ?? Promise.resolve()).then(() => undefined, (err: unknown) => ({ err }));
  // The runtime's delete and the rootfs umount touch different things (its state and cgroup; the
  // host's mount of the rootfs, which the container's own mount namespace never shared back).
  const deleted = (async (): Promise<void> => {
    for (const name of runtime !== undefined && ctx.runtimes.has(runtime) ? [runtime] : ctx.runtimes.names()) {
      try {
        await ctx.runtimes.get(name).cli.delete(id, { force: true });
      } catch (err) {
        if (!isBerthError(err, 'not-found')) throw err;
      }
    }
    // The runtime removes the leaf; this catches one it could not (the parent stays: other starts use it).
    await removeCgroup(ctx.host.cgroups, cgroupsPathOf(ctx, id));
  })().then(() => undefined, (err: unknown) => ({ err }));
  const unmounted = (async (): Promise<void> => {
    await unmountAll(ctx.runner, ctx.paths.rootfs(id));
    await unmountViewsBelow(ctx.runner, ctx.paths.layerViews(id));
  })().then(() => undefined, (err: unknown) => ({ err }));
  const failed = (await deleted) ?? (await unmounted) ?? (await detached);
  if (failed !== undefined) throw failed.err;
}
