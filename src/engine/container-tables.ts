import type { Database } from '../store/database.js';
import type { TableSchema } from '../store/table-schema.js';
import type { ImageReferenceSource } from '../images/image-references.js';

/**
 * The tables of engine/: `containers` (container-store.ts) — the durable record of what the user
 * asked for (config) and what was last observed (state), both JSON, validated on read by
 * container-record.ts — and `container_health` (health/health-store.ts), the last health-check
 * results, kept apart from the record so probes never race other updates of it.
 */
export const CONTAINER_TABLES: TableSchema = {
  module: 'containers',
  migrations: [
    // 1: containers.
    `
  CREATE TABLE containers (
    id TEXT PRIMARY KEY,                 -- 64 hex
    name TEXT NOT NULL UNIQUE,           -- without Docker's leading slash
    image_id TEXT NOT NULL,              -- config digest of the image it was created from
    created_at TEXT NOT NULL,
    config TEXT NOT NULL,
    state TEXT NOT NULL
  );
  CREATE INDEX containers_by_image ON containers(image_id);
  `,
    // 2: container_health.
    `
  CREATE TABLE container_health (
    container_id TEXT PRIMARY KEY,
    health TEXT NOT NULL                 -- JSON: status, failing streak, last results
  );
  `,
  ],
};

/** The containers created from an image, as images/ asks for them (which container uses an image). */
export function containerImageReferences(db: Database): ImageReferenceSource {
  return {
    kind: 'container',
    referenceTo: (imageId) => (db.statement('SELECT id FROM containers WHERE image_id = ? LIMIT 1').get(imageId) as { id: string } | undefined)?.id,
  };
}
