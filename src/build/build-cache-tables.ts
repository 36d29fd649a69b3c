import type { Database } from '../store/database.js';
import type { TableSchema } from '../store/table-schema.js';
import type { ImageReferenceSource } from '../images/image-references.js';

/**
 * The table of the build cache (build-cache.ts): a build step's cache key (parent image,
 * instruction after substitution, content of the files it copies) → the image that step made.
 * The image row keeps the step's blobs and layers alive for GC; removing the image removes its
 * entries (foreign key).
 */
export const BUILD_CACHE_TABLES: TableSchema = {
  module: 'build-cache',
  migrations: [
    // 1: build_cache.
    `
  CREATE TABLE build_cache (
    key TEXT PRIMARY KEY,                -- sha256 of the step's inputs
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_used_at TEXT NOT NULL
  );
  CREATE INDEX build_cache_by_image ON build_cache(image_id);
  `,
    // 2: build_cache.owner: the owner tag (base/process-alive.ts) of the build that added the entry,
    // until that build succeeds (NULL: the node's cache). A killed build's entries, and the images
    // only they kept, are removed by the next builder.
    `
  ALTER TABLE build_cache ADD COLUMN owner TEXT;
  `,
  ],
};

/** The build cache entries that point at an image, as images/ asks for them (prune keeps such images). */
export function buildCacheImageReferences(db: Database): ImageReferenceSource {
  return {
    kind: 'build-cache',
    referenceTo: (imageId) => (db.statement('SELECT key FROM build_cache WHERE image_id = ? LIMIT 1').get(imageId) as { key: string } | undefined)?.key,
  };
}
