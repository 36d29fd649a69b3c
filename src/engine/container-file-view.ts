/**
 * A container's files as its processes see them, for `cp` (the archive routes): the root
 * filesystem with the volumes, bind mounts and the files berth mounts (`/etc/hostname`,
 * `/etc/hosts`, `/etc/resolv.conf`) over it, as dockerd shows them.
 *
 * - A running (or paused) container is seen through `/proc/<pid>/root`: the kernel walks the
 *   container's own mount tree, so every mount is where the container has it, and writes land in
 *   the volume or bind source as the container's would.
 * - A stopped container's root filesystem is mounted for the operation, and a path under one of
 *   its mounts is mapped to that mount's host source (volumes are made ready and released again).
 *   A directory copied whole still holds what the root filesystem has under a mount point (only
 *   a path at or below the mount point is mapped).
 * Paths are resolved as if chrooted in the root or the mount they fall in: no symlink leads out.
 */
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { resolveInRoot } from '../mount/path-in-root.js';
import { unmountAll } from '../mount/mount-table.js';
import { unmountViewsBelow } from '../runtime/userns/idmapped-views.js';
import type { ContainerPaths } from './container-paths.js';
import { isActive, type ContainerRecord } from './container-record.js';
import type { ContainerStore } from './container-store.js';
import { mountRootfs, type TaskContext } from './container-task.js';
import { releaseVolumes } from './volume-usage.js';

/** What a file view (and the file operations over it) needs of the engine. */
export interface FileViewContext {
  store: ContainerStore;
  paths: ContainerPaths;
  /** Mounting a stopped container's rootfs; its volumes (`task.volumes`) and runner. */
  task: TaskContext;
  /** Runs `fn` under the container's lock with its current record. */
  exclusive<T>(ref: string, fn: (record: ContainerRecord) => Promise<T>): Promise<T>;
}

/** A mount of a stopped container: its target in the container, its source on the host. */
export interface ViewMount {
  target: string;
  source: string;
}

export interface FileView {
  /** The host directory that is the container's `/`. */
  root: string;
  /** Mounts to map paths through (none when the root already shows them), longest target first. */
  mounts: ViewMount[];
  /** The container's process when `root` is its `/proc/<pid>/root` (its mountinfo shows the mounts). */
  pid?: number;
}

/**
 * The host path of container path `path` (absolute, normalized): resolved in the root, or in the
 * source of the mount it falls under. `followLast`: resolve a final symlink too. Pure but for the
 * file system reads of resolveInRoot.
 */
export async function resolveInView(view: FileView, path: string, followLast: boolean): Promise<string> {
  const mount = view.mounts.find((m) => path === m.target || path.startsWith(`${m.target}/`));
  const root = mount?.source ?? view.root;
  const inner = mount === undefined ? path : path.slice(mount.target.length) || '/';
  if (inner === '/') return root;
  return resolveInRoot(root, inner, { followLast });
}

/** The mounts of a stopped container's next run, longest target first (volumes made ready). */
async function mountsOf(ctx: FileViewContext, record: ContainerRecord): Promise<ViewMount[]> {
  const mounts: ViewMount[] = [];
  for (const name of ['hostname', 'hosts', 'resolv.conf'] as const) {
    const source = ctx.paths.etcFile(record.id, name);
    if (existsSync(source)) mounts.push({ target: `/etc/${name}`, source });
  }
  for (const mount of record.config.mounts ?? []) {
    if (mount.type === 'volume') mounts.push({ target: posix.normalize(mount.target), source: await ctx.task.volumes.mount(mount.name) });
    else if (mount.type === 'bind' && existsSync(mount.source)) mounts.push({ target: posix.normalize(mount.target), source: mount.source });
  }
  return mounts.sort((a, b) => b.target.length - a.target.length);
}

/** Whether the container has a process whose root can be entered. */
function livePid(record: ContainerRecord): number | undefined {
  const { pid } = record.state;
  return isActive(record.state) && pid > 0 && existsSync(`/proc/${pid}/root`) ? pid : undefined;
}

/**
 * Runs `fn` on the container's file view while no other operation on the container runs; what
 * was mounted for a stopped container is undone after it.
 */
export async function withFileView<T>(ctx: FileViewContext, ref: string, fn: (view: FileView, record: ContainerRecord) => Promise<T>): Promise<T> {
  return ctx.exclusive(ref, async (record) => {
    const pid = livePid(record);
    if (pid !== undefined) return fn({ root: `/proc/${pid}/root`, mounts: [], pid }, record);
    const rootfs = await mountRootfs(ctx.task, record.id, record.config.userns);
    try {
      return await fn({ root: rootfs, mounts: await mountsOf(ctx, record) }, record);
    } finally {
      await unmountAll(ctx.task.runner, rootfs);
      await unmountViewsBelow(ctx.task.runner, ctx.paths.layerViews(record.id));
      await releaseVolumes({ store: ctx.store, volumes: ctx.task.volumes, runner: ctx.task.runner }, record);
    }
  });
}
