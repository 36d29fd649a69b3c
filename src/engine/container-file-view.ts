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
import { resolveInRoot } from '../base/read-file-in-root.js';
import { unmountAll } from '../snapshots/mount-table.js';
import { unmountViewsBelow } from '../runtime/userns/idmapped-views.js';
import type { ContainerEngine } from './container-engine.js';
import { isActive, type ContainerRecord } from './container-record.js';
import { mountRootfs } from './container-task.js';
import { releaseVolumes } from './volume-usage.js';

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
  if (followLast) return resolveInRoot(root, inner);
  return posix.join(await resolveInRoot(root, posix.dirname(inner)), posix.basename(inner));
}

/** The mounts of a stopped container's next run, longest target first (volumes made ready). */
async function mountsOf(engine: ContainerEngine, record: ContainerRecord): Promise<ViewMount[]> {
  const mounts: ViewMount[] = [];
  for (const name of ['hostname', 'hosts', 'resolv.conf'] as const) {
    const source = engine.paths.etcFile(record.id, name);
    if (existsSync(source)) mounts.push({ target: `/etc/${name}`, source });
  }
  for (const mount of record.config.mounts ?? []) {
    if (mount.type === 'volume') mounts.push({ target: posix.normalize(mount.target), source: await engine.volumes.mount(mount.name) });
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
export async function withFileView<T>(engine: ContainerEngine, ref: string, fn: (view: FileView, record: ContainerRecord) => Promise<T>): Promise<T> {
  return engine.exclusive(ref, async (record) => {
    const pid = livePid(record);
    if (pid !== undefined) return fn({ root: `/proc/${pid}/root`, mounts: [], pid }, record);
    const rootfs = await mountRootfs(engine.task, record.id, record.config.userns);
    try {
      return await fn({ root: rootfs, mounts: await mountsOf(engine, record) }, record);
    } finally {
      await unmountAll(engine.task.runner, rootfs);
      await unmountViewsBelow(engine.task.runner, engine.paths.layerViews(record.id));
      await releaseVolumes({ store: engine.store, volumes: engine.volumes, runner: engine.task.runner }, record);
    }
  });
}
