/**
 * A writable layer for a step that is not a container (COPY, ADD) or a read-only view of an image
 * (COPY --from): an active snapshot `build/<pid>-<random>` mounted under the state root's tmp/.
 * The pid in the names lets `cleanupTempLayers` remove what a killed builder left.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { componentLogger, warnOnFailure, warnUnlessErrno } from '../../base/logger.js';
import { isOwnerAlive, ownerTag, OWNER_TAG_PATTERN } from '../../base/process-alive.js';
import type { ImageService } from '../../images/image-service.js';
import type { ImageRecord } from '../../images/image-record.js';

const log = componentLogger('build');

export class TempLayer {
  private mounted = true;

  private constructor(private readonly images: ImageService, readonly key: string, readonly root: string) {}

  /** Prepares and mounts a layer on `image` (an empty one for none). */
  static async open(images: ImageService, image: ImageRecord | undefined): Promise<TempLayer> {
    const name = `${ownerTag()}-${randomBytes(6).toString('hex')}`;
    const root = join(images.root.tmp, `build-${name}`);
    const key = `build/${name}`;
    await mkdir(root, { recursive: true });
    try {
      await images.snapshotter.prepare(key, image?.topChainId ?? null);
      await images.snapshotter.mount(key, root);
    } catch (err) {
      await images.snapshotter.unmount(root).catch(warnOnFailure(log, 'unmounting a temporary layer that failed to open', { root }));
      if (images.snapshotter.has(key)) await images.snapshotter.remove(key).catch(warnOnFailure(log, 'removing a temporary layer that failed to open', { key }));
      await rm(root, { recursive: true, force: true });
      throw err;
    }
    return new TempLayer(images, key, root);
  }

  /** Unmounts (the upper directory then holds exactly the changes, ready to diff). */
  async unmount(): Promise<void> {
    if (!this.mounted) return;
    await this.images.snapshotter.unmount(this.root);
    this.mounted = false;
  }

  /** Unmounts and removes the snapshot and the mount point. Idempotent. */
  async remove(): Promise<void> {
    await this.unmount();
    if (this.images.snapshotter.has(this.key)) await this.images.snapshotter.remove(this.key);
    await rm(this.root, { recursive: true, force: true });
  }
}

/** Removes mount points and snapshots of builders that are gone (killed mid-step). */
export async function cleanupTempLayers(images: ImageService): Promise<void> {
  const dead = (name: string): boolean => {
    const owner = new RegExp(`^(${OWNER_TAG_PATTERN})-`).exec(name)?.[1];
    return owner !== undefined && !isOwnerAlive(owner);
  };
  // No tmp directory yet: nothing was left.
  const entries = (await readdir(images.root.tmp).catch(warnUnlessErrno(['ENOENT'], log, 'listing leftover temporary layers', { dir: images.root.tmp }))) ?? [];
  for (const entry of entries) {
    if (!entry.startsWith('build-') || entry.startsWith('build-context-') || !dead(entry.slice(6))) continue;
    await images.snapshotter.unmount(join(images.root.tmp, entry)).catch(warnOnFailure(log, 'unmounting a dead builder\'s temporary layer', { path: join(images.root.tmp, entry) }));
    await rm(join(images.root.tmp, entry), { recursive: true, force: true });
  }
  for (const snapshot of images.snapshotter.list()) {
    if (snapshot.kind === 'active' && snapshot.key.startsWith('build/') && dead(snapshot.key.slice(6))) {
      await images.snapshotter.remove(snapshot.key).catch(warnOnFailure(log, 'removing a dead builder\'s temporary snapshot', { key: snapshot.key }));
    }
  }
  for (const entry of entries) {
    const owner = new RegExp(`^build-context-(${OWNER_TAG_PATTERN})-`).exec(entry)?.[1];
    if (owner !== undefined && !isOwnerAlive(owner)) await rm(join(images.root.tmp, entry), { recursive: true, force: true });
  }
}
