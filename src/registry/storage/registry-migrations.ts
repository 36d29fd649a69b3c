import { LEASE_TABLES } from '../../store/lease-tables.js';
import type { DatabaseSchema, TableSchema } from '../../store/table-schema.js';

/**
 * The registry's own tables (`<root>/registry.db`), append-only like every module's. Blob and
 * manifest bytes live in the content store; these tables say which repository holds what. A row
 * is written only once its bytes are verified and on disk.
 */
export const REGISTRY_TABLES: TableSchema = {
  module: 'registry',
  migrations: [
    // 1: repositories, their blobs and manifests, tags, upload sessions.
    `
  CREATE TABLE repositories (
    name TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
  );
  CREATE TABLE repository_blobs (          -- a blob this repository may serve (pushed or mounted)
    repository TEXT NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
    digest TEXT NOT NULL,
    size INTEGER NOT NULL,
    touched_at TEXT NOT NULL,              -- last push, mount or existence check: GC grace starts here
    PRIMARY KEY (repository, digest)
  );
  CREATE INDEX repository_blobs_by_digest ON repository_blobs(digest);
  CREATE TABLE manifests (
    repository TEXT NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
    digest TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    artifact_type TEXT,                    -- for the referrers API
    subject TEXT,                          -- digest of the manifest this one refers to
    annotations TEXT,                      -- JSON, for the referrers API
    pushed_at TEXT NOT NULL,
    PRIMARY KEY (repository, digest)
  );
  CREATE INDEX manifests_by_subject ON manifests(repository, subject);
  CREATE INDEX manifests_by_digest ON manifests(digest);
  CREATE TABLE manifest_references (       -- what a manifest keeps alive: blobs, child manifests
    repository TEXT NOT NULL,
    manifest TEXT NOT NULL,
    child TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('blob', 'manifest')),
    PRIMARY KEY (repository, manifest, child),
    FOREIGN KEY (repository, manifest) REFERENCES manifests(repository, digest) ON DELETE CASCADE
  );
  CREATE TABLE tags (
    repository TEXT NOT NULL,
    name TEXT NOT NULL,
    digest TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    fetched_at TEXT,                       -- pull-through cache: when the upstream was last asked
    PRIMARY KEY (repository, name),
    FOREIGN KEY (repository, digest) REFERENCES manifests(repository, digest) ON DELETE CASCADE
  );
  CREATE TABLE uploads (                   -- resumable blob upload sessions; bytes in uploads/<id>
    id TEXT PRIMARY KEY,
    repository TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL               -- expiry counts from the last chunk
  );
  `,
  ],
};

/**
 * Every table of `registry.db`: the store's leases (content being written, not yet recorded) and
 * the registry's own. Its former single migration made both.
 */
export const REGISTRY_SCHEMA: DatabaseSchema = {
  tables: [LEASE_TABLES, REGISTRY_TABLES],
  legacy: [{ leases: 1, registry: 1 }],
};
