/**
 * runc creates the mount point of every mount whose target the image lacks (an empty directory
 * or file, and the missing parents), so they land in the RUN container's upper directory. They are
 * no change of the command's: before the layer is made, each target and the parents runc made for
 * it are removed again when they are still empty and absent from the image's layers.
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { isBerthError } from '../../base/errors.js';
import { componentLogger, warnUnlessErrno } from '../../base/logger.js';
import type { ImageService } from '../../images/image-service.js';
import { resolveInLayers } from '../../mount/path-in-root.js';

const log = componentLogger('build');

/** ENOENT, ENOTDIR (a parent is no directory): there is no such entry. */
const ABSENT = ['ENOENT', 'ENOTDIR'];

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(warnUnlessErrno(ABSENT, log, 'looking for a mount target in the image', { path }))) !== undefined;
}

/**
 * `path` with the symlinks of its parents resolved as the container saw them (the topmost layer
 * that has an entry decides), as runc resolved the mount target; the last component is kept.
 * Undefined when its parents hold too many links (runc refuses such a target; a loop the command
 * made afterwards cannot be walked): that target's stubs are left as they are.
 */
async function resolveParents(layers: readonly string[], path: string): Promise<string | undefined> {
  try {
    return await resolveInLayers(layers, path, { followLast: false });
  } catch (err) {
    if (isBerthError(err, 'invalid-argument') && err.reason === 'too-many-links') return undefined;
    throw err;
  }
}

/** Call only while the snapshot is not mounted. `targets` are absolute paths in the container. */
export async function dropMountStubs(images: ImageService, snapshotKey: string, targets: readonly string[]): Promise<void> {
  if (targets.length === 0) return;
  const { upper, lowers } = images.snapshotter.layerDirs(snapshotKey);
  const resolved = (await Promise.all(targets.map((target) => resolveParents([upper, ...lowers], target))))
    .filter((target): target is string => target !== undefined);
  const deepestFirst = resolved.sort((a, b) => b.split('/').length - a.split('/').length);
  for (const target of deepestFirst) {
    for (let path = target; path !== '/' && path !== '.'; path = posix.dirname(path)) {
      const relative = path.slice(1);
      let inImage = false;
      for (const lower of lowers) if (await exists(join(lower, relative))) inImage = true;
      if (inImage) break;
      const host = join(upper, relative);
      const info = await lstat(host).catch(warnUnlessErrno(ABSENT, log, 'looking at a mount target stub', { path: host }));
      if (info === undefined) break;
      const empty = info.isDirectory() ? (await readdir(host)).length === 0 : info.isFile() && info.size === 0;
      if (!empty) break;
      await rm(host, { recursive: true, force: true });
    }
  }
}
