import type { TableSchema } from '../store/table-schema.js';

/** The table of snapshots/ (snapshot-table.ts): committed layers and active snapshots. */
export const SNAPSHOT_TABLES: TableSchema = {
  module: 'snapshots',
  migrations: [
    // 1: layer snapshots; `parent` links form the stack.
    `
  CREATE TABLE snapshots (
    key TEXT PRIMARY KEY,                -- chain ID for committed layers; caller's key for active ones
    id INTEGER NOT NULL UNIQUE,          -- short directory name under snapshots/
    parent TEXT REFERENCES snapshots(key),
    kind TEXT NOT NULL CHECK (kind IN ('committed', 'active')),
    size INTEGER NOT NULL DEFAULT 0,     -- bytes in this snapshot's own directory
    created_at TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX snapshots_by_parent ON snapshots(parent);
  `,
  ],
};
