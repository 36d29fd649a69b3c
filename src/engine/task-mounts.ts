/**
 * `start`: a container's recorded mounts → the binds of its runtime spec. Volumes are made ready
 * (a `type`/`device` volume is mounted) and, on their first mount, seeded from the image; a
 * missing host directory of a `-v` bind is created, as Docker does.
 */
import { mkdir, stat } from 'node:fs/promises';
import { errnoCode, errors } from '../base/errors.js';
import { findExecutable } from '../base/find-executable.js';
import type { BindMountSpec } from '../runtime/spec/user-mounts.js';
import type { VolumeService } from '../volumes/volume-service.js';
import type { ContainerRecord } from './container-record.js';

/** Default init: Debian's statically linked tini (the image may have no libc). */
export const DEFAULT_INIT = 'tini-static';

async function ensureHostPath(source: string, create: boolean): Promise<void> {
  try {
    await stat(source);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
    if (!create) throw errors.failedPrecondition('bind-source-missing', `invalid mount config for type "bind": bind source path does not exist: ${source}`);
    await mkdir(source, { recursive: true, mode: 0o755 });
  }
}

/** Prepares every mount of the record's next run. Throws not-found (`no-such-volume`), failed-precondition. */
export async function prepareTaskMounts(volumes: VolumeService, record: ContainerRecord, rootfs: string): Promise<BindMountSpec[]> {
  const binds: BindMountSpec[] = [];
  for (const mount of record.config.mounts ?? []) {
    if (mount.type === 'volume') {
      const source = await volumes.mount(mount.name);
      await volumes.seedOnFirstMount(mount.name, rootfs, mount.target, mount.noCopy);
      binds.push({ source, destination: mount.target, readOnly: mount.readOnly, propagation: 'rprivate' });
    } else if (mount.type === 'bind') {
      await ensureHostPath(mount.source, mount.createHostPath);
      binds.push({ source: mount.source, destination: mount.target, readOnly: mount.readOnly, propagation: mount.propagation });
    }
  }
  return binds;
}

/** The init binary for `--init` (`configured` or tini-static on PATH). Throws failed-precondition (`init-unavailable`). */
export function resolveInitPath(configured: string | undefined): string {
  try {
    return findExecutable(configured ?? DEFAULT_INIT, 'apt-get install tini, or berthd --init-path');
  } catch (cause) {
    throw errors.failedPrecondition('init-unavailable', `--init: ${configured ?? DEFAULT_INIT} not found (apt-get install tini, or berthd --init-path)`, { cause });
  }
}
