/**
 * The CNI network configuration list (conflist) of one attachment of a container to a berth
 * network: bridge (with host-local IPAM keeping its leases under the state root), tuning for the
 * network's sysctls, portmap when there are ports to publish (never on an internal network),
 * bandwidth when the network limits rates (see network-options.ts). A network with IPv6 has a
 * second range set (and `::/0` beside the IPv4 default route). What the bridge plugin's
 * `ipMasq` and the firewall plugin did per container, berth does once per network (HostNet).
 * Pure; the result is what `CniDriver` executes and
 * caches for DEL.
 */
import { hostLocalRanges4, hostLocalRanges6 } from './ip-range.js';
import { parseCidr, parseIpv4 } from './ipv4.js';
import { parseCidr6, parseIpv6 } from './ipv6.js';
import { bridgeOptions } from './network-options.js';
import { overlayMtu } from './overlay-plan.js';
import { hasIpv6, type NetworkRecord } from './network-store.js';
import type { PortBinding } from '../wire/port-specs.js';
import type { StaticEndpoint } from './static-address.js';

export const CNI_VERSION = '1.0.0';

export type CniPluginConfig = Record<string, unknown> & { type: string };

export interface CniConfList {
  cniVersion: string;
  name: string;
  plugins: CniPluginConfig[];
}

export interface AttachmentConfigInput {
  network: NetworkRecord;
  /** host-local's lease directory (one subdirectory per network under it). */
  ipamDataDir: string;
  /** The container's gateway network (its first that is not internal) gets the default route. */
  primary: boolean;
  ports: readonly PortBinding[];
  /** A requested address (host-local's `ips` capability) and MAC (the bridge plugin's `mac`). */
  fixed?: StaticEndpoint;
}

/** CNI network name of a berth network: unique on the host across state roots. */
export function cniNetworkName(network: NetworkRecord): string {
  return `berth-${network.id.slice(0, 12)}`;
}

/** host-local's range sets: IPv4 (split around reserved addresses, bounded by `--ip-range`), then IPv6. */
function rangeSets(network: NetworkRecord): Record<string, string>[][] {
  const subnet = parseCidr(network.subnet);
  const range = network.ipRange === undefined ? undefined : parseCidr(network.ipRange);
  const reserved = (network.ipam?.reserved ?? []).map((r) => parseIpv4(r)).filter((r): r is number => r !== undefined);
  const v4 = subnet === undefined ? [{}] : hostLocalRanges4(subnet, range, reserved);
  const sets = [v4.map((r) => ({ subnet: network.subnet, gateway: network.gateway, ...r }))];
  const pool = network.ipv6;
  const subnet6 = pool === undefined ? undefined : parseCidr6(pool.subnet);
  if (pool !== undefined && subnet6 !== undefined && network.enableIPv6) {
    const range6 = pool.ipRange === undefined ? undefined : parseCidr6(pool.ipRange);
    const reserved6 = pool.reserved.map((r) => parseIpv6(r)).filter((r): r is bigint => r !== undefined);
    sets.push(hostLocalRanges6(subnet6, range6, reserved6).map((r) => ({ subnet: pool.subnet, gateway: pool.gateway, ...r })));
  }
  return sets;
}

export function attachmentConfList(input: AttachmentConfigInput): CniConfList {
  const { network } = input;
  const routed = !network.internal;
  const options = bridgeOptions(network.options);
  const bridge: CniPluginConfig = {
    type: 'bridge',
    bridge: network.bridge,
    isGateway: routed,
    // Masquerading is one rule per network (HostNet.masqueradeRule), not a chain per container.
    ipMasq: false,
    hairpinMode: true,
    // On an overlay, VXLAN's overhead comes off the MTU (overlay-plan.ts).
    ...(network.driver === 'overlay' ? { mtu: overlayMtu(options.mtu) } : options.mtu !== undefined && { mtu: options.mtu }),
    ipam: {
      type: 'host-local',
      ranges: rangeSets(network),
      routes: routed && input.primary ? [{ dst: '0.0.0.0/0' }, ...(hasIpv6(network) ? [{ dst: '::/0' }] : [])] : [],
      dataDir: input.ipamDataDir,
    },
  };
  const prefix = network.subnet.split('/')[1] ?? '24';
  const prefix6 = network.ipv6?.subnet.split('/')[1] ?? '64';
  const runtimeConfig: Record<string, unknown> = {};
  const ips = [
    ...(input.fixed?.ipv4Address === undefined ? [] : [`${input.fixed.ipv4Address}/${prefix}`]),
    ...(input.fixed?.ipv6Address === undefined || !hasIpv6(network) ? [] : [`${input.fixed.ipv6Address}/${prefix6}`]),
  ];
  if (ips.length > 0) runtimeConfig.ips = ips;
  if (input.fixed?.macAddress !== undefined) runtimeConfig.mac = input.fixed.macAddress;
  if (Object.keys(runtimeConfig).length > 0) {
    bridge.capabilities = Object.fromEntries(Object.keys(runtimeConfig).map((k) => [k, true]));
    bridge.runtimeConfig = runtimeConfig;
  }
  const plugins: CniPluginConfig[] = [bridge];
  if (Object.keys(options.sysctls).length > 0) plugins.push({ type: 'tuning', sysctl: options.sysctls });
  // portmap only with ports to publish: with none its ADD and DEL have nothing to do.
  if (routed && input.ports.length > 0) {
    plugins.push({
      type: 'portmap',
      capabilities: { portMappings: true },
      runtimeConfig: {
        portMappings: input.ports.map((p) => ({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol, hostIP: p.hostIp })),
      },
    });
  }
  if (options.ingress !== undefined || options.egress !== undefined) {
    plugins.push({
      type: 'bandwidth',
      ...(options.ingress !== undefined && { ingressRate: options.ingress.rate, ingressBurst: options.ingress.burst }),
      ...(options.egress !== undefined && { egressRate: options.egress.rate, egressBurst: options.egress.burst }),
    });
  }
  return { cniVersion: CNI_VERSION, name: cniNetworkName(network), plugins };
}
