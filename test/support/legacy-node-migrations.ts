/**
 * FROZEN, for tests only: the node's migrations as one list, as berth ran them before each module
 * defined its own tables (`user_version` counted them). node-schema.ts maps them onto the modules
 * (`NODE_SCHEMA.legacy`); node-schema.test.ts makes files with them and opens those.
 */
export const LEGACY_NODE_MIGRATIONS: readonly string[] = [
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
  // 3 volumes: named and anonymous volumes of the local driver (data in volumes/<name>/_data); which
  // containers use one is read from the containers' config, so it cannot drift from them.
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
  // 4 networks: bridge networks (network/network-store.ts) and the containers attached to them
  // while they run (one endpoint per container and network; deleted when the run is torn down).
  `
  CREATE TABLE networks (
    id TEXT PRIMARY KEY,                 -- 64 hex
    name TEXT NOT NULL UNIQUE,
    driver TEXT NOT NULL,                -- bridge
    bridge TEXT NOT NULL UNIQUE,         -- host interface name, bn-<id12>
    subnet TEXT NOT NULL,
    gateway TEXT NOT NULL,
    internal INTEGER NOT NULL,
    options TEXT NOT NULL DEFAULT '{}',
    labels TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
  );
  CREATE TABLE network_endpoints (
    network_id TEXT NOT NULL REFERENCES networks(id),
    container_id TEXT NOT NULL,
    container_name TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    ifname TEXT NOT NULL,
    ip TEXT NOT NULL,
    prefix_len INTEGER NOT NULL,
    mac TEXT NOT NULL,
    ports TEXT NOT NULL DEFAULT '[]',    -- published ports of this run (host ports resolved)
    PRIMARY KEY (network_id, container_id)
  );
  CREATE INDEX network_endpoints_by_container ON network_endpoints(container_id);
  `,
  // 5 build cache: the build cache — a build step's cache key (parent image, instruction after substitution,
  // content of the files it copies) → the image that step made. The image row keeps the step's
  // blobs and layers alive for GC; removing the image removes its entries (build/build-cache.ts).
  `
  CREATE TABLE build_cache (
    key TEXT PRIMARY KEY,                -- sha256 of the step's inputs
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_used_at TEXT NOT NULL
  );
  CREATE INDEX build_cache_by_image ON build_cache(image_id);
  `,
  // 6 events: the event log (events/event-log.ts; old rows are dropped by count and age) and the last
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
  // networks.user_subnet: 1 when the subnet was given at create (--subnet); only such networks
  // take static addresses (--ip), as in Docker (network/static-address.ts).
  `
  ALTER TABLE networks ADD COLUMN user_subnet INTEGER NOT NULL DEFAULT 0;
  `,
  // networks.ip_range: the block of the subnet that dynamic addresses come from (--ip-range), ''
  // for all of it (network/ip-range.ts).
  `
  ALTER TABLE networks ADD COLUMN ip_range TEXT NOT NULL DEFAULT '';
  `,
  // image_repo_digests: `repository@digest` references an image is known by in a registry (what a
  // pull by tag fetched, what a push wrote), shown as RepoDigests as Docker does.
  `
  CREATE TABLE image_repo_digests (
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    reference TEXT NOT NULL,             -- normalized: registry.lan:5000/team/app@sha256:…
    PRIMARY KEY (image_id, reference)
  );
  `,
  // IPv6 and IPAM as given on networks (network/ipam-plan.ts): EnableIPv6, Attachable, and a JSON
  // column with IPAM.Options, IPAM.Config as given, reserved addresses and the IPv6 pool ('' on older
  // networks). Endpoints keep their IPv6 address and their links (`container:alias`).
  `
  ALTER TABLE networks ADD COLUMN enable_ipv6 INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE networks ADD COLUMN attachable INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE networks ADD COLUMN ipam TEXT NOT NULL DEFAULT '';
  ALTER TABLE network_endpoints ADD COLUMN ip6 TEXT NOT NULL DEFAULT '';
  ALTER TABLE network_endpoints ADD COLUMN prefix_len6 INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE network_endpoints ADD COLUMN links TEXT NOT NULL DEFAULT '[]';
  `,
  // build_cache.owner: the owner tag (base/process-alive.ts) of the build that added the entry,
  // until that build succeeds (NULL: the node's cache). A killed build's entries, and the images
  // only they kept, are removed by the next builder (build/build-cache.ts).
  `
  ALTER TABLE build_cache ADD COLUMN owner TEXT;
  `,
];
