import { BUILD_CACHE_TABLES } from '../build/build-cache-tables.js';
import { CONTAINER_TABLES } from '../engine/container-tables.js';
import { EVENT_TABLES } from '../events/event-tables.js';
import { IMAGE_TABLES } from '../images/image-tables.js';
import { NETWORK_TABLES } from '../network/network-tables.js';
import { SNAPSHOT_TABLES } from '../snapshots/snapshot-tables.js';
import { LEASE_TABLES } from '../store/lease-tables.js';
import type { DatabaseSchema } from '../store/table-schema.js';
import { VOLUME_TABLES } from '../volumes/volume-tables.js';

/**
 * Every table of the node's `berth.db`, each defined by the module that owns it. `legacy` maps
 * the former single list of migrations (one `user_version` count; kept frozen in test/support/legacy-node-migrations.ts)
 * onto the modules; it never changes. A module adds a table or column by appending to its own
 * migrations.
 */
export const NODE_SCHEMA: DatabaseSchema = {
  tables: [LEASE_TABLES, SNAPSHOT_TABLES, IMAGE_TABLES, EVENT_TABLES, VOLUME_TABLES, NETWORK_TABLES, CONTAINER_TABLES, BUILD_CACHE_TABLES],
  legacy: [
    { images: 1, snapshots: 1, leases: 1 }, // images, names, image_blobs, snapshots, leases
    { containers: 1 },
    { volumes: 1 },
    { networks: 1 }, // networks, network_endpoints
    { 'build-cache': 1 },
    { events: 1, containers: 2 }, // events, container_health
    { networks: 2 }, // networks.user_subnet
    { networks: 3 }, // networks.ip_range
    { images: 2 }, // image_repo_digests
    { networks: 4 }, // IPv6, IPAM, endpoint links
    { 'build-cache': 2 }, // build_cache.owner
  ],
};
