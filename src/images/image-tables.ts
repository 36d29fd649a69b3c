import type { TableSchema } from '../store/table-schema.js';

/** The tables of images/ (image-store.ts): images, their names, the blobs they keep, their repo digests. */
export const IMAGE_TABLES: TableSchema = {
  module: 'images',
  migrations: [
    // 1: images, names, the blobs each image holds.
    `
  CREATE TABLE images (
    id TEXT PRIMARY KEY,                 -- config digest: Docker's image ID
    manifest_digest TEXT NOT NULL,       -- the platform manifest of this image
    manifest_media_type TEXT NOT NULL,
    index_digest TEXT,                   -- index / manifest list it was selected from, if any
    os TEXT NOT NULL,
    architecture TEXT NOT NULL,
    variant TEXT,
    top_chain_id TEXT,                   -- snapshot key of the top layer; NULL when no layers
    size INTEGER NOT NULL,               -- unpacked size of all layers, bytes
    created_at TEXT NOT NULL,            -- from the image config (or load time)
    loaded_at TEXT NOT NULL
  );
  CREATE TABLE image_names (
    name TEXT PRIMARY KEY,               -- normalized reference: docker.io/library/busybox:latest
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX image_names_by_image ON image_names(image_id);
  CREATE TABLE image_blobs (             -- every blob an image keeps alive (GC roots)
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    digest TEXT NOT NULL,
    PRIMARY KEY (image_id, digest)
  );
  CREATE INDEX image_blobs_by_digest ON image_blobs(digest);
  `,
    // 2: image_repo_digests: `repository@digest` references an image is known by in a registry (what a
    // pull by tag fetched, what a push wrote), shown as RepoDigests as Docker does.
    `
  CREATE TABLE image_repo_digests (
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    reference TEXT NOT NULL,             -- normalized: registry.lan:5000/team/app@sha256:…
    PRIMARY KEY (image_id, reference)
  );
  `,
  ],
};
