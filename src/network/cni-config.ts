/**
 * The CNI network configuration list (conflist) of one attachment of a container to a berth
 * network: bridge (with host-local IPAM keeping its leases under the state root), tuning for the
 * network's sysctls, portmap when there are ports to publish (never on an internal network),
 * bandwidth when the network limits rates (see network-options.ts). What the bridge plugin's
 * `ipMasq` and the firewall plugin did per container, berth does once per network (HostNet).
 * Pure; the result is what `CniDriver` executes and
 * caches for DEL.
 */
import { hostLocalRange } from './ip-range.js';
import { parseCidr } from './ipv4.js';
import { bridgeOptions } from './network-options.js';
import type { NetworkRecord } from './network-store.js';
import type { PortBinding } from './port-spec.js';
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
  /** The first network of a container gets the default route (non-internal networks only). */
  primary: boolean;
  ports: readonly PortBinding[];
  /** A requested address (host-local's `ips` capability) and MAC (the bridge plugin's `mac`). */
  fixed?: StaticEndpoint;
}

/** CNI network name of a berth network: unique on the host across state roots. */
export function cniNetworkName(network: NetworkRecord): string {
  return `berth-${network.id.slice(0, 12)}`;
}

function ipRangeOf(network: NetworkRecord): { rangeStart?: string; rangeEnd?: string } {
  const subnet = network.ipRange === undefined ? undefined : parseCidr(network.subnet);
  const range = network.ipRange === undefined ? undefined : parseCidr(network.ipRange);
  return subnet === undefined || range === undefined ? {} : hostLocalRange(subnet, range);
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
    ...(options.mtu !== undefined && { mtu: options.mtu }),
    ipam: {
      type: 'host-local',
      ranges: [[{ subnet: network.subnet, gateway: network.gateway, ...ipRangeOf(network) }]],
      routes: routed && input.primary ? [{ dst: '0.0.0.0/0' }] : [],
      dataDir: input.ipamDataDir,
    },
  };
  const prefix = network.subnet.split('/')[1] ?? '24';
  const runtimeConfig: Record<string, unknown> = {};
  if (input.fixed?.ipv4Address !== undefined) runtimeConfig.ips = [`${input.fixed.ipv4Address}/${prefix}`];
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
