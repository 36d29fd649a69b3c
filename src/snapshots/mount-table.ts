import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ProcessRunner } from '../base/process-runner.js';
import type { Mount } from './snapshot-types.js';

/** Performs `mounts` at `target` in order, each with `mount` run in the mount's cwd. */
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

/** Whether `path` (absolute) is a mount point in this process's mount namespace. */
export async function isMountPoint(path: string): Promise<boolean> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  for (const line of text.split('\n')) {
    const field = line.split(' ')[4];
    if (field !== undefined && unescapeMountPath(field) === path) return true;
  }
  return false;
}

function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
