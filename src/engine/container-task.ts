/**
 * The live side of a container (containerd's "task"): one run of its process under conmon + runc.
 * `createTask` mounts the root filesystem, writes the runtime spec and has conmon run `runc create`;
 * `cleanupTask` undoes all of it after the process has exited (or when a start fails half-way).
 * Callers serialize calls per container.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBerthError } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { readFileInRoot } from '../base/read-file-in-root.js';
import type { NetworkService } from '../network/network-service.js';
import type { ImageConfig } from '../oci/schemas.js';
import { removeCgroup } from '../runtime/cgroup-cleanup.js';
import { launchContainer, type LaunchedContainer } from '../runtime/conmon-launcher.js';
import type { RuncCli } from '../runtime/runc.js';
import { DEFAULT_SECCOMP_PROFILE } from '../runtime/seccomp/default-profile.js';
import { buildSpec } from '../runtime/spec/build-spec.js';
import type { RuntimeSpec } from '../runtime/spec/oci-runtime-spec.js';
import type { OverlaySnapshotter } from '../snapshots/overlay-snapshotter.js';
import { isMountPoint, unmountAll } from '../snapshots/mount-table.js';
import type { ContainerPaths } from './container-paths.js';
import type { ContainerRecord } from './container-record.js';
import type { HostFacts } from './host-facts.js';
import type { VolumeService } from '../volumes/volume-service.js';
import type { BindMountSpec } from '../runtime/spec/user-mounts.js';
import { prepareTaskMounts, resolveInitPath } from './task-mounts.js';

export interface TaskContext {
  paths: ContainerPaths;
  runc: RuncCli;
  runner: ProcessRunner;
  runcPath: string;
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
}

export function cgroupsPathOf(ctx: TaskContext, id: string): string {
  return `${ctx.cgroupParent}/${id}`;
}

/** Mounts the container's snapshot at its rootfs dir unless it already is mounted. */
export async function mountRootfs(ctx: TaskContext, id: string): Promise<string> {
  const target = ctx.paths.rootfs(id);
  await mkdir(target, { recursive: true });
  if (!(await isMountPoint(target))) await ctx.snapshotter.mount(ctx.paths.snapshotKey(id), target);
  return target;
}

/** The runtime spec of the container's next run (reads users from the mounted rootfs). */
export async function containerSpec(ctx: TaskContext, record: ContainerRecord, image: ImageConfig, rootfs: string, binds: BindMountSpec[] = [], netnsPath?: string): Promise<RuntimeSpec> {
  const { id, config } = record;
  return buildSpec({
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
  });
}

/**
 * Mounts the rootfs, writes config.json and has conmon create the container (runc state
 * `created`; nothing of the user's process runs yet). Throws what buildSpec and launchContainer
 * throw; the caller runs `cleanupTask` on failure.
 */
export async function createTask(ctx: TaskContext, record: ContainerRecord, image: ImageConfig, uuid: string, netnsPath?: string): Promise<LaunchedContainer> {
  const { id, config } = record;
  const rootfs = await mountRootfs(ctx, id);
  const spec = await containerSpec(ctx, record, image, rootfs, await prepareTaskMounts(ctx.volumes, record, rootfs), netnsPath);
  await writeFile(ctx.paths.spec(id), JSON.stringify(spec));
  await rm(join(ctx.paths.exits, id), { force: true });
  await rm(ctx.paths.persist(id), { recursive: true, force: true });
  return launchContainer({
    id,
    uuid,
    name: record.name,
    bundleDir: ctx.paths.dir(id),
    runtimeRoot: ctx.paths.runtimeRoot,
    runcPath: ctx.runcPath,
    conmonPath: ctx.conmonPath,
    logPath: ctx.paths.log(id),
    logSizeMax: config.log.maxSize,
    exitDir: ctx.paths.exits,
    persistDir: ctx.paths.persist(id),
    socketDir: ctx.paths.sockets,
    pidFile: ctx.paths.pidFile(id),
    conmonPidFile: ctx.paths.conmonPidFile(id),
    workDir: ctx.paths.conmonDir(id),
    terminal: config.options.tty === true,
    stdin: config.options.openStdin === true,
    stdinOnce: config.stdinOnce,
    signal: AbortSignal.timeout(60_000),
  });
}

/**
 * Removes what a run leaves once its process is gone: runc's state (and leaf cgroup), the rootfs
 * mount, a leftover leaf cgroup, and (at the same time) its networks (CNI DEL while the namespace
 * exists, then the namespace). Idempotent; safe on a container that never ran.
 */
export async function cleanupTask(ctx: TaskContext, id: string): Promise<void> {
  // The networks' detach (CNI DEL, then the namespace) needs nothing of the runtime's state, so it
  // runs alongside the runtime's cleanup; both finish before this returns, the first error wins.
  const detached = (ctx.network?.attachments.detachAll(id) ?? Promise.resolve()).then(() => undefined, (err: unknown) => ({ err }));
  const runtime = (async (): Promise<void> => {
    try {
      await ctx.runc.delete(id, { force: true });
    } catch (err) {
      if (!isBerthError(err, 'not-found')) throw err;
    }
    await unmountAll(ctx.runner, ctx.paths.rootfs(id));
    // runc removes the leaf; this catches one it could not (the parent stays: other starts use it).
    await removeCgroup(ctx.host.cgroups, cgroupsPathOf(ctx, id));
  })().then(() => undefined, (err: unknown) => ({ err }));
  const failed = (await runtime) ?? (await detached);
  await detached;
  if (failed !== undefined) throw failed.err;
}
