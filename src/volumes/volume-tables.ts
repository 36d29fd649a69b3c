import type { TableSchema } from '../store/table-schema.js';

/**
 * The table of volumes/ (volume-store.ts): named and anonymous volumes of the local driver (data
 * in volumes/<name>/_data); which containers use one is read from the containers' config, so it
 * cannot drift from them.
 */
export const VOLUME_TABLES: TableSchema = {
  module: 'volumes',
  migrations: [
    // 1: volumes.
    `
  CREATE TABLE volumes (
    name TEXT PRIMARY KEY,
    driver TEXT NOT NULL,
    created_at TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',   -- JSON object
    options TEXT NOT NULL DEFAULT '{}',  -- driver options as given, JSON object
    anonymous INTEGER NOT NULL DEFAULT 0,
    seeded INTEGER NOT NULL DEFAULT 0    -- 1 once the first mount could copy the image's content in
  );
  `,
  ],
};
