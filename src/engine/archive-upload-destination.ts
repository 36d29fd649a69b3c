/**
 * Where a `cp` upload lands: the extraction directory on the host, the root of the mount it is on
 * (its staging goes there, so that every entry moves into place with a rename) and the mount
 * points below it. A running container's mounts are read from its mountinfo; a stopped one's view
 * maps only the extraction directory itself into a mount (container-file-view.ts).
 */
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../base/errors.js';
import { parseMountinfo } from '../mount/mountinfo.js';
import { parentOf } from '../snapshots/layer-path.js';
import type { Existing } from './archive-upload-plan.js';
import type { FileView } from './container-file-view.js';

export interface UploadDestination {
  /** The host path of the extraction directory. */
  target: string;
  /** The host path of the root of the mount `target` is on. */
  mountRoot: string;
  /** Mount points below `target`, relative to it (`data`, `etc/hostname`). */
  mountPoints: ReadonlySet<string>;
}

/**
 * From mountinfo text (mount points as the process sees them): the deepest mount point at or above
 * `path` (absolute, normalized) and the mount points below it, relative to it. Pure.
 */
export function mountLayout(mountinfo: string, path: string): { root: string; below: string[] } {
  const points = parseMountinfo(mountinfo).map((mount) => mount.mountPoint).filter((point) => point.startsWith('/'));
  const above = (point: string): boolean => point === '/' || path === point || path.startsWith(`${point}/`);
  const root = points.filter(above).reduce((deepest, point) => (point.length > deepest.length ? point : deepest), '/');
  const prefix = path === '/' ? '/' : `${path}/`;
  const below = [...new Set(points.filter((point) => point !== path && point.startsWith(prefix)).map((point) => point.slice(prefix.length)))];
  return { root, below };
}

/** The destination of an upload into `target` (a host path resolved in `view`, a directory). */
export async function uploadDestination(view: FileView, target: string): Promise<UploadDestination> {
  if (view.pid !== undefined) {
    const inside = target === view.root ? '/' : target.slice(view.root.length);
    const { root, below } = mountLayout(await readFile(`/proc/${view.pid}/mountinfo`, 'utf8'), inside);
    return { target, mountRoot: root === '/' ? view.root : `${view.root}${root}`, mountPoints: new Set(below) };
  }
  const roots = [view.root, ...view.mounts.map((mount) => mount.source)].filter((root) => target === root || target.startsWith(`${root}/`));
  const mountRoot = roots.reduce((deepest, root) => (root.length > deepest.length ? root : deepest), '');
  return { target, mountRoot: mountRoot === '' ? target : mountRoot, mountPoints: new Set() };
}

/**
 * What the destination holds at a path relative to `target`, for UploadPlan. A directory is a
 * mount point when mountinfo says so or its device differs from its parent's (a non-directory
 * only by mountinfo: overlayfs may show a file's device as its layer's).
 */
export function destinationProbe(destination: UploadDestination): (path: string) => Promise<Existing> {
  const devices = new Map<string, number>();
  const deviceOf = async (path: string): Promise<number> => {
    const known = devices.get(path);
    if (known !== undefined) return known;
    const { dev } = await lstat(join(destination.target, path));
    devices.set(path, dev);
    return dev;
  };
  return async (path) => {
    let stat;
    try {
      stat = await lstat(join(destination.target, path));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return { kind: 'missing' };
      throw err;
    }
    if (stat.isSymbolicLink()) return { kind: 'symlink', mountPoint: false };
    const listed = destination.mountPoints.has(path);
    if (!stat.isDirectory()) return { kind: 'other', mountPoint: listed };
    devices.set(path, stat.dev);
    return { kind: 'directory', mountPoint: listed || (path !== '' && stat.dev !== (await deviceOf(parentOf(path)))) };
  };
}
