/**
 * What a put of an overlay network's state means for the node, pure: the state normalized (peers
 * without duplicates nor the node itself), what differs from the state applied before (fields that
 * cannot change in place, peers to add and remove, whether the balancers or the record changed),
 * the MTU of its interfaces and the host names of its devices.
 */
import { errors } from '../base/errors.js';
import type { OverlayName, OverlayState } from '../wire/overlays.js';
import { BRIDGE_PREFIX } from './isolation-rules.js';
import { blockSize, contains, overlaps, parseCidr, parseIpv4 } from './ipv4.js';

/** VXLAN's encapsulation: outer Ethernet (14), IPv4 (20), UDP (8) and VXLAN (8) headers. */
export const VXLAN_OVERHEAD = 50;
/** The containers' MTU on an overlay over a 1500-byte underlay. */
export const OVERLAY_MTU = 1500 - VXLAN_OVERHEAD;
/** IANA's VXLAN port. */
export const VXLAN_PORT = 4789;
export const VXLAN_PREFIX = 'vx-';

/** Fields that cannot change on an existing overlay network. */
export const FIXED_FIELDS = ['Subnet', 'Gateway', 'Vni', 'Internal'] as const;
export type FixedField = (typeof FIXED_FIELDS)[number];

export interface OverlayDiff {
  /** Fixed fields whose value differs (the network must be made anew). */
  fixed: FixedField[];
  peersAdded: string[];
  peersRemoved: string[];
  /** The tunnel's local end moved (the VXLAN device is made anew). */
  localChanged: boolean;
  /** Balancers differ (each attached container's table is rewritten). */
  balancersChanged: boolean;
  namesChanged: boolean;
  /** The ports published through the routing mesh differ (ingress network only). */
  meshChanged: boolean;
  /** Network policies differ (each attached container's policy table is rewritten). */
  policiesChanged: boolean;
  /** Name, labels, options or Attachable differ (the record is updated). */
  recordChanged: boolean;
}

/** The overlay's bridge and VXLAN device names (interface names: at most 15 bytes). */
export function overlayDevices(id: string): { bridge: string; vxlan: string } {
  const short = id.slice(0, 12);
  return { bridge: `${BRIDGE_PREFIX}${short}`, vxlan: `${VXLAN_PREFIX}${short}` };
}

/** The state as applied: each peer once, in the order given, never the node's own address. */
export function normalizeOverlay(state: OverlayState): OverlayState {
  const peers = [...new Set(state.Peers)].filter((p) => p !== state.LocalAddress);
  return { ...state, Peers: peers };
}

/** The MTU of an overlay's interfaces: VXLAN's overhead off 1500, or less when the network's MTU option says so. */
export function overlayMtu(optionMtu: number | undefined): number {
  return optionMtu === undefined ? OVERLAY_MTU : Math.min(optionMtu, OVERLAY_MTU);
}

/**
 * Checks what the schema cannot: the gateway is a host address of the subnet (invalid-argument
 * naming Gateway), and the subnet overlaps no other network of the node (conflict
 * `overlay-subnet-overlaps` naming Subnet and the network).
 */
export function checkOverlaySubnet(state: OverlayState, others: readonly { id: string; name: string; subnet: string }[]): void {
  const block = parseCidr(state.Subnet);
  const gateway = parseIpv4(state.Gateway);
  if (block === undefined || gateway === undefined || !contains(block, gateway) || gateway === block.base || gateway === block.base + blockSize(block) - 1) {
    throw errors.invalidArgument('invalid-overlay-gateway', `Gateway: ${state.Gateway} is not a host address of the subnet ${state.Subnet}`);
  }
  for (const other of others) {
    const theirs = parseCidr(other.subnet);
    if (other.id === state.Id || theirs === undefined || !overlaps(block, theirs)) continue;
    throw errors.conflict('overlay-subnet-overlaps', `Subnet: ${state.Subnet} overlaps the subnet ${other.subnet} of network ${other.name} on this node`);
  }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Sorted entries, so that a map's key order does not count as a change. */
const entries = (map: Record<string, string>): [string, string][] => Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** What differs between the applied state (undefined: none yet) and the desired one (both normalized). */
export function overlayDiff(applied: OverlayState | undefined, desired: OverlayState): OverlayDiff {
  const before = new Set(applied?.Peers ?? []);
  const after = new Set(desired.Peers);
  return {
    fixed: applied === undefined ? [] : FIXED_FIELDS.filter((f) => applied[f] !== desired[f]),
    peersAdded: desired.Peers.filter((p) => !before.has(p)),
    peersRemoved: (applied?.Peers ?? []).filter((p) => !after.has(p)),
    localChanged: applied !== undefined && applied.LocalAddress !== desired.LocalAddress,
    balancersChanged: !same(applied?.Balancers ?? [], desired.Balancers),
    namesChanged: !same(applied?.Names ?? [], desired.Names),
    meshChanged: !same(applied?.Ingress ?? null, desired.Ingress ?? null),
    policiesChanged: !same(applied?.Policies ?? [], desired.Policies ?? []),
    recordChanged: applied === undefined || applied.Name !== desired.Name || applied.Attachable !== desired.Attachable
      || !same(entries(applied.Labels), entries(desired.Labels)) || !same(entries(applied.Options), entries(desired.Options)),
  };
}

/** Whether applying `diff` changes nothing. */
export function isNoChange(diff: OverlayDiff): boolean {
  return diff.fixed.length === 0 && diff.peersAdded.length === 0 && diff.peersRemoved.length === 0 && !diff.localChanged
    && !diff.balancersChanged && !diff.namesChanged && !diff.meshChanged && !diff.policiesChanged && !diff.recordChanged;
}

/**
 * Checks that no container of the node publishes a port the mesh is to publish (conflict
 * `port-in-use` naming the port and the container).
 */
export function checkMeshPorts(state: OverlayState, endpoints: readonly { containerName: string; ports: readonly { hostPort: number; protocol: string }[] }[]): void {
  for (const port of state.Ingress?.Ports ?? []) {
    const holder = endpoints.find((e) => e.ports.some((p) => p.hostPort === port.Port && p.protocol === port.Protocol));
    if (holder !== undefined) {
      throw errors.conflict('port-in-use', `port ${String(port.Port)}/${port.Protocol} cannot be published through the routing mesh: container ${holder.containerName} publishes it on this node`);
    }
  }
}

/** The addresses of `name` (compared case-insensitively, a trailing dot ignored) among an overlay's names, in the order given. */
export function overlayNameAddresses(names: readonly OverlayName[], name: string): string[] {
  const wanted = name.replace(/\.$/, '').toLowerCase();
  const out: string[] = [];
  for (const entry of names) {
    if (entry.Name.replace(/\.$/, '').toLowerCase() !== wanted) continue;
    for (const address of entry.Addresses) if (!out.includes(address)) out.push(address);
  }
  return out;
}
