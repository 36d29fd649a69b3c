/**
 * The `networks` and `network_endpoints` tables. Synchronous like the database; each method is one
 * statement or one transaction. Names and bridge names are unique.
 */
import { errors } from '../base/errors.js';
import type { Database } from '../store/database.js';
import type { PortBinding } from './port-spec.js';

export interface NetworkRecord {
  id: string;
  name: string;
  driver: 'bridge';
  bridge: string;
  subnet: string;
  gateway: string;
  internal: boolean;
  /** The subnet was given at create (not chosen by berth): containers may ask for a static address on it. */
  userSubnet: boolean;
  /** The block of the subnet dynamic addresses come from (`--ip-range`); absent: the whole subnet. */
  ipRange?: string;
  options: Record<string, string>;
  labels: Record<string, string>;
  createdAt: string;
}

export interface EndpointRecord {
  networkId: string;
  containerId: string;
  containerName: string;
  aliases: string[];
  ifname: string;
  ip: string;
  prefixLen: number;
  mac: string;
  ports: PortBinding[];
}

interface NetworkRow {
  id: string; name: string; driver: string; bridge: string; subnet: string; gateway: string;
  internal: number; user_subnet: number; ip_range: string; options: string; labels: string; created_at: string;
}
interface EndpointRow {
  network_id: string; container_id: string; container_name: string; aliases: string; ifname: string;
  ip: string; prefix_len: number; mac: string; ports: string;
}

function stringMap(text: string): Record<string, string> {
  const parsed: unknown = JSON.parse(text);
  const out: Record<string, string> = {};
  if (typeof parsed === 'object' && parsed !== null) {
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function toNetwork(row: NetworkRow): NetworkRecord {
  return {
    id: row.id, name: row.name, driver: 'bridge', bridge: row.bridge, subnet: row.subnet, gateway: row.gateway,
    internal: row.internal === 1, userSubnet: row.user_subnet === 1, ...(row.ip_range === '' ? {} : { ipRange: row.ip_range }), options: stringMap(row.options), labels: stringMap(row.labels), createdAt: row.created_at,
  };
}

function toEndpoint(row: EndpointRow): EndpointRecord {
  return {
    networkId: row.network_id, containerId: row.container_id, containerName: row.container_name,
    aliases: (JSON.parse(row.aliases) as unknown[]).filter((a): a is string => typeof a === 'string'),
    ifname: row.ifname, ip: row.ip, prefixLen: row.prefix_len, mac: row.mac, ports: JSON.parse(row.ports) as PortBinding[],
  };
}

export class NetworkStore {
  constructor(private readonly db: Database) {}

  /** Throws conflict (`network-name-taken`) when the name is in use. */
  insert(n: NetworkRecord): void {
    this.db.transaction(() => {
      if (this.findByName(n.name) !== undefined) throw errors.conflict('network-name-taken', `network with name ${n.name} already exists`);
      this.db.statement('INSERT INTO networks (id, name, driver, bridge, subnet, gateway, internal, user_subnet, ip_range, options, labels, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(n.id, n.name, n.driver, n.bridge, n.subnet, n.gateway, n.internal ? 1 : 0, n.userSubnet ? 1 : 0, n.ipRange ?? '', JSON.stringify(n.options), JSON.stringify(n.labels), n.createdAt);
    });
  }

  list(): NetworkRecord[] {
    return (this.db.statement('SELECT * FROM networks ORDER BY created_at, name').all() as NetworkRow[]).map(toNetwork);
  }

  find(id: string): NetworkRecord | undefined {
    const row = this.db.statement('SELECT * FROM networks WHERE id = ?').get(id) as NetworkRow | undefined;
    return row === undefined ? undefined : toNetwork(row);
  }

  findByName(name: string): NetworkRecord | undefined {
    const row = this.db.statement('SELECT * FROM networks WHERE name = ?').get(name) as NetworkRow | undefined;
    return row === undefined ? undefined : toNetwork(row);
  }

  /** By name, full id or unique id prefix. Throws not-found (`no-such-network`). */
  resolve(ref: string): NetworkRecord {
    const byName = this.findByName(ref) ?? this.find(ref);
    if (byName !== undefined) return byName;
    if (/^[0-9a-f]{1,63}$/.test(ref)) {
      const rows = this.db.statement("SELECT * FROM networks WHERE id LIKE ? || '%'").all(ref) as NetworkRow[];
      if (rows.length === 1 && rows[0] !== undefined) return toNetwork(rows[0]);
      if (rows.length > 1) throw errors.invalidArgument('ambiguous-network', `network ${ref} is ambiguous (${rows.length} matches found based on ID prefix)`);
    }
    throw errors.notFound('no-such-network', `network ${ref} not found`);
  }

  /** Throws conflict (`network-in-use`) while endpoints remain. */
  delete(id: string): void {
    this.db.transaction(() => {
      const used = this.endpointsOfNetwork(id);
      if (used.length > 0) throw errors.conflict('network-in-use', `error while removing network: network ${id} has active endpoints`);
      this.db.statement('DELETE FROM networks WHERE id = ?').run(id);
    });
  }

  insertEndpoint(e: EndpointRecord): void {
    this.db.statement('INSERT OR REPLACE INTO network_endpoints (network_id, container_id, container_name, aliases, ifname, ip, prefix_len, mac, ports) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.networkId, e.containerId, e.containerName, JSON.stringify(e.aliases), e.ifname, e.ip, e.prefixLen, e.mac, JSON.stringify(e.ports));
  }

  deleteEndpoint(networkId: string, containerId: string): void {
    this.db.statement('DELETE FROM network_endpoints WHERE network_id = ? AND container_id = ?').run(networkId, containerId);
  }

  endpointsOfNetwork(networkId: string): EndpointRecord[] {
    return (this.db.statement('SELECT * FROM network_endpoints WHERE network_id = ? ORDER BY container_name').all(networkId) as EndpointRow[]).map(toEndpoint);
  }

  endpointsOfContainer(containerId: string): EndpointRecord[] {
    return (this.db.statement('SELECT * FROM network_endpoints WHERE container_id = ? ORDER BY ifname').all(containerId) as EndpointRow[]).map(toEndpoint);
  }

  allEndpoints(): EndpointRecord[] {
    return (this.db.statement('SELECT * FROM network_endpoints').all() as EndpointRow[]).map(toEndpoint);
  }
}
