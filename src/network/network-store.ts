/**
 * The `networks` and `network_endpoints` tables. Synchronous like the database; each method is one
 * statement or one transaction. Names and bridge names are unique.
 */
import { errors } from '../base/errors.js';
import type { Database } from '../store/database.js';
import type { IpamPoolRequest, Ipv6Pool, NetworkIpam } from './ipam-plan.js';
import type { PortBinding } from '../wire/port-specs.js';
import { overlayStateSchema, type OverlayState } from '../wire/overlays.js';

export interface NetworkRecord {
  id: string;
  name: string;
  /** `overlay`: a node's share of a cluster overlay network (its bridge is joined to a VXLAN device). */
  driver: 'bridge' | 'overlay';
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
  /** EnableIPv6: containers get an address of `ipv6` too. */
  enableIPv6: boolean;
  /** Attachable, as given (shown; every berth network takes containers). */
  attachable: boolean;
  /** The IPv6 pool given at create; kept (and shown) without EnableIPv6 too, as Docker does, but then unused. */
  ipv6?: Ipv6Pool;
  /** IPAM as given (what inspect shows) and the reserved IPv4 addresses; absent on networks made before berth kept it. */
  ipam?: NetworkIpam;
  /** On an overlay network: the state last applied (peers, names, balancers). */
  overlay?: OverlayState;
}

/** Whether containers on the network get an IPv6 address. */
export function hasIpv6(network: NetworkRecord): boolean {
  return network.enableIPv6 && network.ipv6 !== undefined;
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
  /** The IPv6 address on a network with IPv6 ('' or absent: none). */
  ip6?: string;
  prefixLen6?: number;
  /** The endpoint's links (`container:alias`): the alias names that container for this one's lookups. */
  links?: string[];
}

interface NetworkRow {
  id: string; name: string; driver: string; bridge: string; subnet: string; gateway: string;
  internal: number; user_subnet: number; ip_range: string; options: string; labels: string; created_at: string;
  enable_ipv6: number; attachable: number; ipam: string; overlay: string;
}
interface EndpointRow {
  network_id: string; container_id: string; container_name: string; aliases: string; ifname: string;
  ip: string; prefix_len: number; mac: string; ports: string; ip6: string; prefix_len6: number; links: string;
}

/** The `ipam` column: IPAM as given and the IPv6 pool, JSON ('' on networks made before it existed). */
interface IpamColumn extends NetworkIpam { ipv6?: Ipv6Pool }

function stringMap(text: string): Record<string, string> {
  const parsed: unknown = JSON.parse(text);
  const out: Record<string, string> = {};
  if (typeof parsed === 'object' && parsed !== null) {
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function strings(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((a): a is string => typeof a === 'string') : [];
}

function ipamOf(text: string): IpamColumn | undefined {
  if (text === '') return undefined;
  const parsed = JSON.parse(text) as Partial<IpamColumn>;
  const options = parsed.options === null || parsed.options === undefined ? null : stringMap(JSON.stringify(parsed.options));
  const config: IpamPoolRequest[] = Array.isArray(parsed.config) ? parsed.config : [];
  return { options, config, reserved: parsed.reserved ?? [], ...(parsed.ipv6 === undefined ? {} : { ipv6: parsed.ipv6 }) };
}

function overlayOf(text: string): OverlayState | undefined {
  if (text === '') return undefined;
  const parsed = overlayStateSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
}

function toNetwork(row: NetworkRow): NetworkRecord {
  const column = ipamOf(row.ipam);
  const overlay = overlayOf(row.overlay);
  const ipam = column === undefined ? undefined : { options: column.options, config: column.config, reserved: column.reserved };
  return {
    id: row.id, name: row.name, driver: row.driver === 'overlay' ? 'overlay' : 'bridge', bridge: row.bridge, subnet: row.subnet, gateway: row.gateway,
    internal: row.internal === 1, userSubnet: row.user_subnet === 1, ...(row.ip_range === '' ? {} : { ipRange: row.ip_range }),
    options: stringMap(row.options), labels: stringMap(row.labels), createdAt: row.created_at,
    enableIPv6: row.enable_ipv6 === 1, attachable: row.attachable === 1, ...(column?.ipv6 === undefined ? {} : { ipv6: column.ipv6 }), ...(ipam === undefined ? {} : { ipam }),
    ...(overlay === undefined ? {} : { overlay }),
  };
}

function toEndpoint(row: EndpointRow): EndpointRecord {
  return {
    networkId: row.network_id, containerId: row.container_id, containerName: row.container_name,
    aliases: strings(row.aliases),
    ifname: row.ifname, ip: row.ip, prefixLen: row.prefix_len, mac: row.mac, ports: JSON.parse(row.ports) as PortBinding[],
    ...(row.ip6 === '' ? {} : { ip6: row.ip6, prefixLen6: row.prefix_len6 }), links: strings(row.links),
  };
}

export class NetworkStore {
  constructor(private readonly db: Database) {}

  /** Throws conflict (`network-name-taken`) when the name is in use. */
  insert(n: NetworkRecord): void {
    this.db.transaction(() => {
      if (this.findByName(n.name) !== undefined) throw errors.conflict('network-name-taken', `network with name ${n.name} already exists`);
      const ipam: IpamColumn | undefined = n.ipam === undefined && n.ipv6 === undefined ? undefined
        : { ...(n.ipam ?? { options: {}, config: [], reserved: [] }), ...(n.ipv6 === undefined ? {} : { ipv6: n.ipv6 }) };
      this.db.statement(`INSERT INTO networks (id, name, driver, bridge, subnet, gateway, internal, user_subnet, ip_range, options, labels, created_at,
        enable_ipv6, attachable, ipam, overlay) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(n.id, n.name, n.driver, n.bridge, n.subnet, n.gateway, n.internal ? 1 : 0, n.userSubnet ? 1 : 0, n.ipRange ?? '', JSON.stringify(n.options),
          JSON.stringify(n.labels), n.createdAt, n.enableIPv6 ? 1 : 0, n.attachable ? 1 : 0, ipam === undefined ? '' : JSON.stringify(ipam),
          n.overlay === undefined ? '' : JSON.stringify(n.overlay));
    });
  }

  /**
   * What may change in place on an overlay network: its name, labels, options, Attachable and the
   * applied state. Throws conflict (`network-name-taken`) when another network has the name.
   */
  updateOverlay(n: NetworkRecord): void {
    this.db.transaction(() => {
      const named = this.findByName(n.name);
      if (named !== undefined && named.id !== n.id) throw errors.conflict('network-name-taken', `network with name ${n.name} already exists`);
      this.db.statement('UPDATE networks SET name = ?, labels = ?, options = ?, attachable = ?, overlay = ? WHERE id = ?')
        .run(n.name, JSON.stringify(n.labels), JSON.stringify(n.options), n.attachable ? 1 : 0, n.overlay === undefined ? '' : JSON.stringify(n.overlay), n.id);
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
    this.db.statement('INSERT OR REPLACE INTO network_endpoints (network_id, container_id, container_name, aliases, ifname, ip, prefix_len, mac, ports, ip6, prefix_len6, links) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.networkId, e.containerId, e.containerName, JSON.stringify(e.aliases), e.ifname, e.ip, e.prefixLen, e.mac, JSON.stringify(e.ports), e.ip6 ?? '', e.prefixLen6 ?? 0, JSON.stringify(e.links ?? []));
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
