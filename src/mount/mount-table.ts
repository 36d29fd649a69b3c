/**
 * Mounting and unmounting with `mount` / `umount` (through the process runner), and asking the
 * mount table whether a path is a mount point.
 */
import { resolve } from 'node:path';
import type { ProcessRunner } from '../base/process-runner.js';
import { readMountinfo } from './mountinfo.js';

/** A mount to perform, as `mount -t <type> -o <options> <source> <target>` run in `cwd` (when set). */
export interface Mount {
  type: string;
  source: string;
  options: string[];
  /** Relative paths in `options` (overlay lowerdirs) are relative to this directory. */
  cwd?: string;
}

/** Performs `mounts` at `target` in order, each with `mount` run in the mount's cwd (`bind`: no `-t`). */
export async function performMounts(runner: ProcessRunner, mounts: readonly Mount[], target: string): Promise<void> {
  for (const mount of mounts) {
    const typeArgs = mount.type === 'bind' ? [] : ['-t', mount.type];
    const cwd = mount.cwd === undefined ? {} : { cwd: mount.cwd };
    await runner.run('mount', [...typeArgs, '-o', mount.options.join(','), mount.source, resolve(target)], cwd);
  }
}

/** Unmounts `target` until it is no mount point any more; nothing to do when it is none. */
export async function unmountAll(runner: ProcessRunner, target: string): Promise<void> {
  const path = resolve(target);
  while (await isMountPoint(path)) {
    await runner.run('umount', [path]);
  }
}

/** Whether `path` (absolute, normalized) is a mount point in this process's mount namespace. */
export async function isMountPoint(path: string): Promise<boolean> {
  return (await readMountinfo()).some((mount) => mount.mountPoint === path);
}
