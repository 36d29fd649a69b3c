/**
 * Containers in their own user namespace (`--userns auto`): the host id range is chosen at create
 * (the lowest free slot of the pool; a range is in use while a container record names it, so `rm`
 * frees it), the etc files and the volumes it creates are given to the range's root, and each run mounts the rootfs as an
 * overlay whose lower layers are id-mapped views (`<container>/layers/<n>`) and whose upper dir
 * belongs to the range's root. The views are unmounted with the rootfs in `cleanupTask`.
 */
import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { errors } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { allocateUserns, usernsPoolOf, type UsernsConfig, type UsernsMode, type UsernsPool } from '../runtime/userns/id-ranges.js';
import { mountIdmappedViews, unmountViewsBelow } from '../runtime/userns/idmapped-views.js';
import type { ContainerOptions } from '../runtime/spec/container-options.js';
import { performMounts } from '../mount/mount-table.js';
import type { OverlaySnapshotter } from '../snapshots/overlay-snapshotter.js';
import type { ContainerPaths } from './container-paths.js';
import type { ContainerRecord } from './container-record.js';
import type { RuntimeSpec } from '../runtime/spec/oci-runtime-spec.js';
import { withUserNamespace } from '../runtime/userns/user-namespace-spec.js';
import type { CreateVolumeRequest, VolumeService } from '../volumes/volume-service.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import { readTextOr } from '../base/fs-probe.js';

const log = componentLogger('engine');

/** What the engine knows about user namespaces: where ranges come from, the default mode, the program. */
export interface UsernsSettings {
  pool: UsernsPool;
  /** The mode of a create that names none (berthd `--userns-default`; `host` unless set). */
  defaultMode: UsernsMode;
  /** The berth-idmap program. */
  program: string;
}

/** The pool from /etc/subuid and /etc/subgid (`berth` entries), or the default one. */
export async function readUsernsPool(): Promise<UsernsPool> {
  const read = (path: string): Promise<string> => readTextOr(path, '', log); // none: the default pool
  return usernsPoolOf(await read('/etc/subuid'), await read('/etc/subgid'));
}

/**
 * The user namespace of a new container, or undefined for the host's. Synchronous, so that the
 * caller inserts the record before any other create can choose: call it right before the insert.
 * Throws invalid-argument (`userns-conflict`) for options that need the host's user namespace,
 * resource-exhausted when the pool is full.
 */
export function chooseUserns(settings: UsernsSettings, requested: UsernsMode | undefined, options: ContainerOptions, records: () => readonly ContainerRecord[]): UsernsConfig | undefined {
  if ((requested ?? settings.defaultMode) !== 'auto') return undefined;
  if (options.privileged === true) {
    throw errors.invalidArgument('userns-conflict', 'HostConfig.Privileged: a privileged container needs the host user namespace (--userns host)');
  }
  if (options.pidMode === 'host') {
    throw errors.invalidArgument('userns-conflict', 'HostConfig.PidMode: the host PID namespace needs the host user namespace (--userns host)');
  }
  return allocateUserns(settings.pool, records().flatMap((r) => (r.config.userns === undefined ? [] : [r.config.userns])));
}

/** Gives the container's etc files to its root, so that it may rewrite them as in Docker. */
export async function chownEtcFiles(paths: ContainerPaths, id: string, userns: UsernsConfig): Promise<void> {
  for (const name of ['hosts', 'hostname', 'resolv.conf'] as const) await chown(paths.etcFile(id, name), userns.uid, userns.gid);
}

/**
 * The spec with the container's user namespace; the net sysctls the container cannot write in a
 * namespace berth made are written here, from the host, before it starts.
 */
export async function usernsRuntimeSpec(runner: ProcessRunner, spec: RuntimeSpec, userns: UsernsConfig, netnsPath: string | undefined): Promise<RuntimeSpec> {
  const result = withUserNamespace(spec, userns);
  const settings = Object.entries(result.netnsSysctls).map(([key, value]) => `${key}=${value}`);
  if (netnsPath !== undefined && settings.length > 0) await runner.run('nsenter', [`--net=${netnsPath}`, '--', 'sysctl', '-q', '-w', ...settings]);
  return result.spec;
}

/** Creates the new container's volumes; those made now belong to its root (Docker's userns-remap does the same). */
export async function createVolumesFor(volumes: VolumeService, requests: readonly CreateVolumeRequest[], userns: UsernsConfig): Promise<void> {
  for (const request of requests) {
    const { record, created } = await volumes.create(request);
    if (created) await chown(volumes.dataDir(record.name), userns.uid, userns.gid);
  }
}

export interface UsernsRootfsContext {
  paths: ContainerPaths;
  runner: ProcessRunner;
  snapshotter: OverlaySnapshotter;
  program: string;
}

/**
 * Mounts the container's overlay at `target` over id-mapped views of its layers. The directories
 * down to the rootfs get search permission for others (the range's root must reach it), as
 * Podman's storage does. Throws what mountIdmappedViews throws; leaves no view mounted then.
 */
export async function mountUsernsRootfs(ctx: UsernsRootfsContext, id: string, userns: UsernsConfig, target: string): Promise<void> {
  const key = ctx.paths.snapshotKey(id);
  const [mount] = ctx.snapshotter.mounts(key);
  const { upper, lowers } = ctx.snapshotter.layerDirs(key);
  await allowSearch(ctx.paths, id);
  await chown(upper, userns.uid, userns.gid);
  if (mount?.type !== 'overlay') {
    await ctx.snapshotter.mount(key, target);
    return;
  }
  const views = ctx.paths.layerViews(id);
  await unmountViewsBelow(ctx.runner, views);
  const pairs = lowers.map((source, i) => ({ source, target: join(views, String(i)) }));
  for (const pair of pairs) await mkdir(pair.target, { recursive: true, mode: 0o755 });
  try {
    await mountIdmappedViews(ctx.runner, ctx.program, userns, pairs);
    // Short relative lowerdirs (cwd = the views dir) keep a long chain within the option limit.
    const lowerdir = `lowerdir=${pairs.map((_, i) => String(i)).join(':')}`;
    const options = mount.options.map((o) => (o.startsWith('lowerdir=') ? lowerdir : o));
    await performMounts(ctx.runner, [{ ...mount, options, cwd: views }], target);
  } catch (err) {
    // The mount's error is the one thrown; views left mounted are logged (the next mount unmounts them first).
    await unmountViewsBelow(ctx.runner, views).catch(warnOnFailure(log, 'unmounting the layer views of a failed mount', { path: views }));
    throw err;
  }
}

/**
 * Gives others search permission on the state root, `containers/` and the container's dir; the
 * directories above the state root are the host's: throws failed-precondition
 * (`state-root-not-searchable`) when one of them lacks it.
 */
async function allowSearch(paths: ContainerPaths, id: string): Promise<void> {
  for (let dir = dirname(resolve(paths.root)); ; dir = dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) {
      throw errors.failedPrecondition('state-root-not-searchable',
        `${dir} is not searchable by others, so a container's root in its own user namespace cannot reach its root filesystem under ${paths.root} (chmod o+x ${dir}, or use --userns host)`);
    }
    if (dir === '/') break;
  }
  for (const dir of [paths.root, paths.containers, paths.dir(id)]) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
  }
}
