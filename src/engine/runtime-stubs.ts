/**
 * runc creates the mount points of the files the engine bind-mounts (/etc/hostname, /etc/hosts,
 * /etc/resolv.conf) when the image lacks them, so they end up in the container's upper directory
 * as empty files. Docker keeps them in a separate init layer; berth removes them from the upper
 * directory before a stopped container's changes become a layer (commit, RUN), so a new layer
 * holds only what the process changed.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageService } from '../images/image-service.js';
import type { ImageRecord } from '../images/image-record.js';
import { lstatIfPresent } from '../base/fs-probe.js';
import { componentLogger } from '../base/logger.js';

const log = componentLogger('engine');

const STUBS = ['etc/hostname', 'etc/hosts', 'etc/resolv.conf'];

async function exists(path: string): Promise<boolean> {
  return (await lstatIfPresent(path, log)) !== undefined;
}

/** Call only while the snapshot is not mounted (the container is not running). */
export async function dropRuntimeStubs(images: ImageService, snapshotKey: string, image: ImageRecord): Promise<void> {
  const upper = join(images.root.snapshots, String(images.snapshotter.stat(snapshotKey).id), 'fs');
  const lowers = images.layerDirs(await images.config(image));
  for (const stub of STUBS) {
    const path = join(upper, stub);
    const info = await lstatIfPresent(path, log); // absent: runc made no stub there
    if (info === undefined || !info.isFile() || info.size !== 0) continue;
    let inImage = false;
    for (const lower of lowers) if (await exists(join(lower, stub))) inImage = true;
    if (!inImage) await rm(path, { force: true });
  }
}
