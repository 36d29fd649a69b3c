/**
 * runc creates the mount point of every mount whose target the image lacks (an empty directory
 * or file, and the missing parents), so they land in the RUN container's upper directory. They are
 * no change of the command's: before the layer is made, each target and the parents runc made for
 * it are removed again when they are still empty and absent from the image's layers.
 */
import { lstat, readdir, readlink, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { ImageService } from '../../images/image-service.js';

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}

const MAX_LINKS = 40;

/**
 * `path` with the symlinks of its parents resolved as the container saw them (the topmost layer
 * that has an entry decides), as runc resolved the mount target; the last component is kept.
 */
async function resolveParents(layers: readonly string[], path: string): Promise<string> {
  const pending = path.split('/').filter((part) => part !== '' && part !== '.');
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() ?? '';
    if (part === '..') { resolved.pop(); continue; }
    if (pending.length === 0) { resolved.push(part); break; }
    let link: string | undefined;
    for (const layer of layers) {
      const info = await lstat(join(layer, ...resolved, part)).catch(() => undefined);
      if (info === undefined) continue;
      if (info.isSymbolicLink()) link = await readlink(join(layer, ...resolved, part));
      break;
    }
    if (link === undefined || ++links > MAX_LINKS) { resolved.push(part); continue; }
    if (link.startsWith('/')) resolved.length = 0;
    pending.unshift(...link.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return `/${resolved.join('/')}`;
}

/** Call only while the snapshot is not mounted. `targets` are absolute paths in the container. */
export async function dropMountStubs(images: ImageService, snapshotKey: string, targets: readonly string[]): Promise<void> {
  if (targets.length === 0) return;
  const { upper, lowers } = images.snapshotter.layerDirs(snapshotKey);
  const resolved = await Promise.all(targets.map((target) => resolveParents([upper, ...lowers], target)));
  const deepestFirst = resolved.sort((a, b) => b.split('/').length - a.split('/').length);
  for (const target of deepestFirst) {
    for (let path = target; path !== '/' && path !== '.'; path = posix.dirname(path)) {
      const relative = path.slice(1);
      let inImage = false;
      for (const lower of lowers) if (await exists(join(lower, relative))) inImage = true;
      if (inImage) break;
      const host = join(upper, relative);
      const info = await lstat(host).catch(() => undefined);
      if (info === undefined) break;
      const empty = info.isDirectory() ? (await readdir(host)).length === 0 : info.isFile() && info.size === 0;
      if (!empty) break;
      await rm(host, { recursive: true, force: true });
    }
  }
}
