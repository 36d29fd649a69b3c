import { errors } from '../base/errors.js';
import { formatReference, parseReference } from '../oci/reference.js';
import type { ImageDeleteItem } from '../wire/images.js';
import type { GarbageCollector } from './garbage-collector.js';
import type { ImageEvents } from './image-events.js';
import type { ImageReferences } from './image-references.js';
import type { ImageStore } from './image-store.js';

/** What `remove` and `prune` did, in Docker's shape (`../wire/images.ts`). */
export type RemovedItem = ImageDeleteItem;

/** What removing images works on (an `ImageService`'s own collaborators). */
export interface RemovalContext {
  images: ImageStore;
  /** Who keeps images: a container's image is only untagged (with force), a build cache image survives prune. */
  references: ImageReferences;
  gc: GarbageCollector;
  events: ImageEvents;
}

/**
 * Removes names and images as `docker rmi` does (see `ImageService.remove`). Throws conflict
 * `image-has-names`, `image-in-use`; not-found for an unknown reference.
 */
export async function removeImages(ctx: RemovalContext, refs: string[], force: boolean): Promise<RemovedItem[]> {
  const removed: RemovedItem[] = [];
  const notes: ['untag' | 'delete', string, string | undefined][] = [];
  for (const ref of refs) {
    const image = ctx.images.resolve(ref);
    const normalized = normalizedName(ref);
    const byName = normalized !== undefined && image.names.includes(normalized) ? normalized : undefined;
    if (byName !== undefined && image.names.length > 1) {
      ctx.images.untag(byName);
      removed.push({ Untagged: byName });
      notes.push(['untag', image.id, byName]);
      continue;
    }
    if (byName === undefined && image.names.length > 1 && !force) {
      throw errors.conflict('image-has-names', `unable to delete ${image.id.slice(7, 19)} (must be forced): image is referenced in multiple repositories`);
    }
    const user = ctx.references.find('container', image.id);
    if (user !== undefined) {
      // As Docker: a container's image keeps existing; with force only its names go.
      if (!force) {
        throw errors.conflict('image-in-use', `conflict: unable to ${byName === undefined ? 'delete' : 'remove repository reference'} ${byName ?? image.id.slice(7, 19)} (must be forced) - container ${user.slice(0, 12)} is using its referenced image ${image.id.slice(7, 19)}`);
      }
      for (const name of byName === undefined ? image.names : [byName]) {
        ctx.images.untag(name);
        removed.push({ Untagged: name });
        notes.push(['untag', image.id, name]);
      }
      continue;
    }
    for (const name of image.names) {
      removed.push({ Untagged: name });
      notes.push(['untag', image.id, name]);
    }
    ctx.images.delete(image.id);
    removed.push({ Deleted: image.id });
    notes.push(['delete', image.id, undefined]);
  }
  await ctx.gc.collect();
  for (const [action, id, name] of notes) ctx.events.emit(action, id, name);
  return removed;
}

/** Deletes dangling images (no name), or with `all` every image no container uses, then collects. */
export async function pruneImages(ctx: RemovalContext, all: boolean): Promise<{ removed: RemovedItem[]; spaceReclaimed: number }> {
  const removed: RemovedItem[] = [];
  for (const image of ctx.images.list()) {
    if (!all && image.names.length > 0) continue;
    if (ctx.references.find('container', image.id) !== undefined) continue;
    // A build step's result stays for the build cache (as Docker's intermediate images); `--all` removes it.
    if (!all && ctx.references.find('build-cache', image.id) !== undefined) continue;
    for (const name of image.names) removed.push({ Untagged: name });
    ctx.images.delete(image.id);
    removed.push({ Deleted: image.id });
    for (const name of image.names) ctx.events.emit('untag', image.id, name);
    ctx.events.emit('delete', image.id);
  }
  const collected = await ctx.gc.collect();
  ctx.events.emit('prune', '', undefined, { reclaimed: String(collected.bytesFreed) });
  return { removed, spaceReclaimed: collected.bytesFreed };
}

/** The normalized name `ref` stands for, or undefined when it is not a name (an id). */
export function normalizedName(ref: string): string | undefined {
  if (ref.startsWith('sha256:')) return undefined;
  try {
    return formatReference(parseReference(ref));
  } catch {
    return undefined; // not a reference: the caller takes `ref` as an id
  }
}
