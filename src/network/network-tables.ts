import type { TableSchema } from '../store/table-schema.js';

/**
 * The tables of network/ (network-store.ts): bridge networks and the containers attached to them
 * while they run (one endpoint per container and network; deleted when the run is torn down).
 */
export const NETWORK_TABLES: TableSchema = {
  module: 'networks',
  migrations: [
    // 1: networks and endpoints.
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
    // 2: networks.user_subnet: 1 when the subnet was given at create (--subnet); only such networks
    // take static addresses (--ip), as in Docker (static-address.ts).
    `
  ALTER TABLE networks ADD COLUMN user_subnet INTEGER NOT NULL DEFAULT 0;
  `,
    // 3: networks.ip_range: the block of the subnet that dynamic addresses come from (--ip-range), ''
    // for all of it (ip-range.ts).
    `
  ALTER TABLE networks ADD COLUMN ip_range TEXT NOT NULL DEFAULT '';
  `,
    // 4: IPv6 and IPAM as given on networks (ipam-plan.ts): EnableIPv6, Attachable, and a JSON column
    // with IPAM.Options, IPAM.Config as given, reserved addresses and the IPv6 pool ('' on older
    // networks). Endpoints keep their IPv6 address and their links (`container:alias`).
    `
  ALTER TABLE networks ADD COLUMN enable_ipv6 INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE networks ADD COLUMN attachable INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE networks ADD COLUMN ipam TEXT NOT NULL DEFAULT '';
  ALTER TABLE network_endpoints ADD COLUMN ip6 TEXT NOT NULL DEFAULT '';
  ALTER TABLE network_endpoints ADD COLUMN prefix_len6 INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE network_endpoints ADD COLUMN links TEXT NOT NULL DEFAULT '[]';
  `,
    // 5: networks.overlay: on a node's share of a cluster overlay network (driver `overlay`), the
    // applied OverlayState as JSON (peers, names, balancers; overlay-service.ts); '' on bridge networks.
    `
  ALTER TABLE networks ADD COLUMN overlay TEXT NOT NULL DEFAULT '';
  `,
  ],
};
