/**
 * Docker's copy-up: a volume mounted over a directory of the image starts with that directory's
 * content when it is empty. Files keep their modes, owners, timestamps, xattrs and symlinks
 * (`cp -a`, which never follows a link: the image cannot make it read outside its root).
 */
import { chmod, chown, lstat, readdir } from 'node:fs/promises';
import { errnoCode } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { resolveInRoot } from '../mount/path-in-root.js';

export interface SeedInput {
  runner: ProcessRunner;
  /** The container's mounted root filesystem on the host. */
  rootfs: string;
  /** The mount's target inside the container. */
  target: string;
  /** The volume's data directory. */
  dataDir: string;
  /** The volume's own uid/gid/mode options: these win over the image directory's. */
  keep: { uid?: number; gid?: number; mode?: number };
}

/**
 * Copies the image's `target` into an empty `dataDir` and gives `dataDir` the owner and mode of
 * the image directory (unless `keep` sets them). Returns whether anything was copied. Does nothing
 * when `dataDir` is not empty or the image has no directory there.
 */
export async function seedVolume(input: SeedInput): Promise<boolean> {
  const source = await resolveInRoot(input.rootfs, input.target);
  let stats;
  try {
    stats = await lstat(source);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return false;
    throw err;
  }
  if (!stats.isDirectory()) return false;
  if ((await readdir(input.dataDir)).length > 0) return false;
  const entries = await readdir(source);
  if (entries.length > 0) await input.runner.run('cp', ['-a', '--', `${source}/.`, `${input.dataDir}/`]);
  await chown(input.dataDir, input.keep.uid ?? stats.uid, input.keep.gid ?? stats.gid);
  await chmod(input.dataDir, input.keep.mode ?? stats.mode & 0o7777);
  return entries.length > 0;
}
