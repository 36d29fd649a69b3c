/**
 * The build cache: a step's key (its parent image, its instruction after substitution with the
 * build arguments it sees, and the content of the files it copies) → the image the step made.
 * Entries live in SQLite (`build_cache`, build-cache-tables.ts), so they survive berthd restarts. The image row keeps
 * the step's blobs and layers alive for garbage collection; removing the image (e.g. `image prune
 * --all`) removes its entries by foreign key, and `prune` removes every entry together with the
 * dangling images only the cache kept. A new entry belongs to the build that made it (its owner
 * tag) until that build succeeds: a failed build removes its entries, and those of a build killed
 * with its process are removed by the next builder (`removeAbandoned`), so the intermediate images
 * of a build that did not finish never stay behind.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../base/clock.js';
import type { Digest } from '../base/digest.js';
import { isOwnerAlive } from '../base/process-alive.js';
import type { Database } from '../store/database.js';

/** What the cache needs of images/: deleting the images only its dropped entries kept. */
export interface CacheImages {
  /** Deletes those of the images no name, container or cache entry keeps; joins the caller's transaction. */
  deleteUnreferenced(ids: Iterable<Digest>): void;
}

export interface CacheKeyParts {
  /** Image id of the state the step starts from; `scratch` for none. */
  parent: string;
  /** The step as its history records it (`/bin/sh -c …`, `COPY …`), after substitution. */
  step: string;
  /** Content digests of what the step reads (files it copies). */
  inputs?: readonly string[];
}

/** sha256 over the parts, each length-prefixed so that no two part lists collide. */
export function cacheKey(parts: CacheKeyParts): string {
  const hash = createHash('sha256');
  for (const part of [parts.parent, parts.step, ...(parts.inputs ?? [])]) hash.update(`${Buffer.byteLength(part)}:${part}\n`);
  return `sha256:${hash.digest('hex')}`;
}

export class BuildCache {
  constructor(private readonly db: Database, private readonly clock: Clock, private readonly images: CacheImages) {}

  /**
   * The image a step with this key made, if cached. Its last use is recorded by `touch` (one
   * write for a whole build, not one per step: a lookup is a read only).
   */
  lookup(key: string): Digest | undefined {
    const row = this.db.sqlite.prepare('SELECT image_id FROM build_cache WHERE key = ?').get(key) as { image_id: Digest } | undefined;
    return row?.image_id;
  }

  /** Records that these entries were used now (one transaction). */
  touch(keys: readonly string[]): void {
    if (keys.length === 0) return;
    const now = this.clock.now().toISOString();
    this.db.transaction(() => {
      const update = this.db.sqlite.prepare('UPDATE build_cache SET last_used_at = ? WHERE key = ?');
      for (const key of keys) update.run(now, key);
    });
  }

  /**
   * Records (or moves) an entry. The image must be recorded. `owner`: the owner tag of the build
   * a new entry belongs to until `settle` (an entry that exists keeps its owner).
   */
  store(key: string, imageId: Digest, owner?: string): void {
    const now = this.clock.now().toISOString();
    this.db.sqlite
      .prepare('INSERT INTO build_cache (key, image_id, created_at, last_used_at, owner) VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET image_id = excluded.image_id, last_used_at = excluded.last_used_at')
      .run(key, imageId, now, now, owner ?? null);
  }

  /** The build that added these entries succeeded: they are the node's cache now (one transaction). */
  settle(keys: readonly string[]): void {
    if (keys.length === 0) return;
    this.db.transaction(() => {
      const update = this.db.sqlite.prepare('UPDATE build_cache SET owner = NULL WHERE key = ?');
      for (const key of keys) update.run(key);
    });
  }

  /**
   * Removes (as `remove`) the entries of builds whose process is gone before they succeeded, with
   * the images only they kept. Returns how many entries went.
   */
  removeAbandoned(): number {
    const rows = this.db.sqlite.prepare('SELECT key, owner FROM build_cache WHERE owner IS NOT NULL').all() as { key: string; owner: string }[];
    const abandoned = rows.filter((row) => !isOwnerAlive(row.owner)).map((row) => row.key);
    return abandoned.length === 0 ? 0 : this.remove(abandoned);
  }

  count(): number {
    return (this.db.sqlite.prepare('SELECT COUNT(*) AS n FROM build_cache').get() as { n: number }).n;
  }

  /**
   * Removes the given entries (all when `keys` is absent), and the images only they kept: no
   * name, no container, no other entry. One transaction. Returns how many entries went.
   */
  remove(keys?: readonly string[]): number {
    return this.db.transaction(() => {
      const selected = keys === undefined
        ? (this.db.sqlite.prepare('SELECT key, image_id FROM build_cache').all() as { key: string; image_id: Digest }[])
        : keys.flatMap((key) => (this.db.sqlite.prepare('SELECT key, image_id FROM build_cache WHERE key = ?').all(key) as { key: string; image_id: Digest }[]));
      const drop = this.db.sqlite.prepare('DELETE FROM build_cache WHERE key = ?');
      for (const row of selected) drop.run(row.key);
      this.images.deleteUnreferenced(new Set(selected.map((row) => row.image_id)));
      return selected.length;
    });
  }
}
