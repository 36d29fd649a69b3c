/**
 * The CNI network configuration list (conflist) of one attachment of a container to a berth
 * network: bridge (with host-local IPAM keeping its leases under the state root), tuning for the
 * network's sysctls, portmap and firewall unless the network is internal, bandwidth when the
 * network limits rates (see network-options.ts). Pure; the result is what `CniDriver` executes and
 * caches for DEL.
 */
import { bridgeOptions } from './network-options.js';
import type { NetworkRecord } from './network-store.js';
import type { PortBinding } from './port-spec.js';

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
}

/** CNI network name of a berth network: unique on the host across state roots. */
export function cniNetworkName(network: NetworkRecord): string {
  return `berth-${network.id.slice(0, 12)}`;
}

export function attachmentConfList(input: AttachmentConfigInput): CniConfList {
  const { network } = input;
  const routed = !network.internal;
  const options = bridgeOptions(network.options);
  const bridge: CniPluginConfig = {
    type: 'bridge',
    bridge: network.bridge,
    isGateway: routed,
    ipMasq: routed && options.ipMasquerade,
    hairpinMode: true,
    ...(options.mtu !== undefined && { mtu: options.mtu }),
    ipam: {
      type: 'host-local',
      ranges: [[{ subnet: network.subnet, gateway: network.gateway }]],
      routes: routed && input.primary ? [{ dst: '0.0.0.0/0' }] : [],
      dataDir: input.ipamDataDir,
    },
  };
  const plugins: CniPluginConfig[] = [bridge];
  if (Object.keys(options.sysctls).length > 0) plugins.push({ type: 'tuning', sysctl: options.sysctls });
  if (routed) {
    plugins.push({
      type: 'portmap',
      capabilities: { portMappings: true },
      runtimeConfig: {
        portMappings: input.ports.map((p) => ({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol, hostIP: p.hostIp })),
      },
    });
    plugins.push({ type: 'firewall', backend: 'iptables' });
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

/** The loopback plugin's config, run once per network namespace. */
export const LOOPBACK_CONFIG: CniConfList = { cniVersion: CNI_VERSION, name: 'berth-loopback', plugins: [{ type: 'loopback' }] };
