/**
 * The metadata schema, as an append-only list of migrations. Never edit a migration that has
 * shipped: add the next one. `user_version` records how many have run.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: images, names, the blobs each image holds, layer snapshots, leases.
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
  // 2: containers — the durable record of what the user asked for (config) and what was last
  // observed (state); both JSON, validated on read by engine/container-record.ts.
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
  // 3: the event log (events/event-log.ts; old rows are dropped by count and age) and the last
  // health-check results of containers (engine/health/), kept apart from the container's state so
  // probes never race other updates of the record.
  `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, so followers can resume after it
    time_nano INTEGER NOT NULL,          -- nanoseconds since the epoch
    type TEXT NOT NULL,                  -- container, image, volume, network, daemon, …
    action TEXT NOT NULL,                -- start, die, health_status: healthy, …
    actor_id TEXT NOT NULL,
    attributes TEXT NOT NULL,            -- JSON object of strings
    scope TEXT NOT NULL
  );
  CREATE INDEX events_by_time ON events(time_nano);
  CREATE TABLE container_health (
    container_id TEXT PRIMARY KEY,
    health TEXT NOT NULL                 -- JSON: status, failing streak, last results
  );
  `,
];
