import type { TableSchema } from './table-schema.js';

/**
 * The tables of `LeaseManager` (leases.ts), in every database file whose content a lease protects
 * (the node's `berth.db`, the registry's `registry.db`): defined here once, applied by both.
 */
export const LEASE_TABLES: TableSchema = {
  module: 'leases',
  migrations: [
    // 1: leases and the resources (blob digests, snapshot keys) each one protects.
    `
  CREATE TABLE leases (                  -- protect resources a writer is still assembling from GC
    id TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE TABLE lease_resources (
    lease_id TEXT NOT NULL REFERENCES leases(id) ON DELETE CASCADE,
    type TEXT NOT NULL CHECK (type IN ('blob', 'snapshot')),
    key TEXT NOT NULL,
    PRIMARY KEY (lease_id, type, key)
  );
  `,
  ],
};
