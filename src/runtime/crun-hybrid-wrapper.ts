/**
 * crun 1.8 refuses a hybrid cgroup layout (v1 controllers plus a cgroup2 mount): "cgroups in hybrid
 * mode not supported". Started in a private mount namespace where the cgroup2 mount is gone, it
 * sees a plain v1 host and works. conmon runs a runtime by path, so the wrapper is an executable
 * script, written into the state root when the engine opens (it names the host's binaries).
 */
import { writeFileAtomic } from '../base/atomic-file.js';
import type { CgroupLayout } from './cgroup-layout.js';

export interface HybridWrapperPrograms {
  /** util-linux `unshare`, `umount` and a POSIX shell, as absolute paths. */
  unshare: string;
  umount: string;
  shell: string;
  /** The crun binary the wrapper execs. */
  crun: string;
  /** Where cgroup2 is mounted (the layout's `unified`). */
  unified: string;
}

/** Whether crun needs the wrapper on this layout: only on a hybrid host. */
export function crunNeedsWrapper(layout: CgroupLayout): boolean {
  return layout.mode === 'v1-hybrid';
}

/** `value` as one single-quoted shell word. */
function shellWord(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * The wrapper's text: `unshare -m --propagation private` (so the unmount stays inside), then the
 * inner shell unmounts cgroup2 (`$0`) and execs crun with the arguments conmon or the engine gave.
 * It fails as crun would not start when the unmount fails.
 */
export function hybridWrapperScript(p: HybridWrapperPrograms): string {
  const inner = `${shellWord(p.umount)} "$0" && exec "$@"`;
  return [
    '#!/bin/sh',
    '# Written by berth: runs crun in a private mount namespace without the cgroup2 mount (crun refuses a hybrid cgroup layout).',
    `exec ${shellWord(p.unshare)} -m --propagation private ${shellWord(p.shell)} -c ${shellWord(inner)} ${shellWord(p.unified)} ${shellWord(p.crun)} "$@"`,
    '',
  ].join('\n');
}

/** Writes the wrapper at `path` (atomically, mode 0755). */
export async function writeHybridWrapper(path: string, programs: HybridWrapperPrograms): Promise<void> {
  await writeFileAtomic(path, hybridWrapperScript(programs), 0o755);
}
