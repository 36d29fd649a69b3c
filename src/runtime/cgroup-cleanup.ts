/**
 * Removal of cgroup directories berth created. runc removes a container's leaf cgroup on delete
 * but leaves the parents (`/berth` of `/berth/<id>`); these functions remove what is left.
 */
import { rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errnoCode, errors } from '../base/errors.js';
import { assertCgroupsPath, cgroupDirs, type CgroupLayout } from './cgroup-layout.js';

/** True when the rmdir failed because the cgroup still has processes or children. */
function isBusy(err: unknown): boolean {
  const code = errnoCode(err);
  return code === 'EBUSY' || code === 'ENOTEMPTY' || code === 'EEXIST';
}

/**
 * Removes the cgroup at `cgroupsPath` in every hierarchy. Missing directories are fine (idempotent).
 * Throws conflict (`cgroup-busy`) when a directory still holds processes or child cgroups.
 * Safe to run concurrently with itself for different paths.
 */
export async function removeCgroup(layout: CgroupLayout, cgroupsPath: string): Promise<void> {
  for (const dir of cgroupDirs(layout, cgroupsPath).all) {
    try {
      await rmdir(dir);
    } catch (cause) {
      if (errnoCode(cause) === 'ENOENT') continue;
      if (isBusy(cause)) throw errors.conflict('cgroup-busy', `cgroup ${dir}: still has processes or children`, { cause });
      throw errors.internal('cgroup-remove-failed', `cgroup ${dir}: cannot remove`, { cause });
    }
  }
}

/**
 * Removes the empty ancestors of `cgroupsPath` (not the path itself), deepest first, up to and
 * including `topPath` (e.g. `/berth` for `/berth/<id>`), in every hierarchy. A parent that is
 * still in use (another container) or already gone is skipped silently; returns how many
 * directories were removed. Throws invalid-argument when `topPath` is not an ancestor.
 */
export async function removeEmptyCgroupParents(layout: CgroupLayout, cgroupsPath: string, topPath: string): Promise<number> {
  assertCgroupsPath(cgroupsPath);
  assertCgroupsPath(topPath);
  if (!cgroupsPath.startsWith(`${topPath}/`)) {
    throw errors.invalidArgument('invalid-cgroups-path', `${topPath} is not an ancestor of ${cgroupsPath}`);
  }
  let removed = 0;
  for (let path = dirname(cgroupsPath); path.length >= topPath.length; path = dirname(path)) {
    for (const dir of cgroupDirs(layout, path).all) {
      try {
        await rmdir(dir);
        removed++;
      } catch (cause) {
        if (errnoCode(cause) === 'ENOENT' || isBusy(cause)) continue;
        throw errors.internal('cgroup-remove-failed', `cgroup ${dir}: cannot remove`, { cause });
      }
    }
    if (path === topPath) break;
  }
  return removed;
}
