/**
 * Id-mapped, read-only views of directories, made by the `berth-idmap` program (C, built with the
 * project into dist/libexec; see berth-idmap.c): through a view, a file owned by id k on disk is
 * owned by host id `uid + k`. The lower layers of a user-namespaced container's overlay are such
 * views, so its root (host `uid`) owns the image's files as root owns them on disk.
 */
import { access, constants } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { errors, isBerthError } from '../../base/errors.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import { currentMountPointsBelow } from '../../mount/mountinfo.js';
import type { UsernsConfig } from './id-ranges.js';

/** dist/libexec/berth-idmap, next to the built code (this file is dist/src/runtime/userns/…). */
export const DEFAULT_IDMAP_PROGRAM = fileURLToPath(new URL('../../../libexec/berth-idmap', import.meta.url));

export interface IdmapPair {
  /** A directory to show id-mapped. */
  source: string;
  /** An existing empty directory where the view is attached. */
  target: string;
}

/**
 * Attaches a view of each `source` at its `target`. Throws failed-precondition
 * (`idmap-program-missing`) when the program is not built, failed-precondition
 * (`idmap-mount-failed`, with the program's message) when the kernel refuses; views made before
 * the failure stay mounted (unmount them with `unmountViewsBelow`).
 */
export async function mountIdmappedViews(runner: ProcessRunner, program: string, userns: UsernsConfig, pairs: readonly IdmapPair[]): Promise<void> {
  if (pairs.length === 0) return;
  try {
    await access(program, constants.X_OK);
  } catch (cause) {
    throw errors.failedPrecondition('idmap-program-missing', `${program} is missing: build berth with gcc installed (scripts/install.sh)`, { cause });
  }
  const args = [String(userns.uid), String(userns.gid), String(userns.size), ...pairs.flatMap((p) => [p.source, p.target])];
  try {
    await runner.run(program, args);
  } catch (cause) {
    if (!isBerthError(cause, 'internal')) throw cause;
    const details = cause.details;
    const stderr = typeof details['stderr'] === 'string' ? details['stderr'].trim() : cause.message;
    throw errors.failedPrecondition('idmap-mount-failed', `id-mapped layer mount failed: ${stderr}`, { cause });
  }
}

/** Unmounts every mount at or below `dir`, deepest first. Idempotent. */
export async function unmountViewsBelow(runner: ProcessRunner, dir: string): Promise<void> {
  for (const point of await currentMountPointsBelow(dir)) await runner.run('umount', [point]);
}
