/**
 * Static endpoint settings a container may ask for on a network: an IPv4 address (`--ip`,
 * EndpointsConfig.<net>.IPAMConfig.IPv4Address) and a MAC address (`--mac-address`). Checked when
 * the container is created or connected, before anything is made; whether the address is free is
 * known only when a run attaches (`addressInUse`). Pure.
 */
import { errors } from '../base/errors.js';
import { blockSize, contains, formatIpv4, parseCidr, parseIpv4 } from './ipv4.js';
import type { EndpointRecord, NetworkRecord } from './network-store.js';

/** What an endpoint asks for; both optional. */
export interface StaticEndpoint {
  ipv4Address?: string;
  macAddress?: string;
}

/**
 * The canonical form of a requested address on `network` (as Docker: only on a network with a
 * user-given subnet; inside it; not its network, broadcast or gateway address). Throws
 * invalid-argument (`static-ip-unsupported`, `invalid-ip-address`) naming `field`.
 */
export function checkStaticAddress(network: NetworkRecord, address: string, field: string): string {
  if (!network.userSubnet) {
    throw errors.invalidArgument('static-ip-unsupported', `${field}: user specified IP address is supported only when connecting to networks with user configured subnets`);
  }
  const ip = parseIpv4(address);
  if (ip === undefined) throw errors.invalidArgument('invalid-ip-address', `${field}: "${address}" is not an IPv4 address`);
  const block = parseCidr(network.subnet);
  if (block === undefined || !contains(block, ip)) {
    throw errors.invalidArgument('invalid-ip-address', `${field}: ${address} is not in the subnet ${network.subnet} of network ${network.name}`);
  }
  if (ip === block.base || ip === block.base + blockSize(block) - 1) {
    throw errors.invalidArgument('invalid-ip-address', `${field}: ${address} is the network or broadcast address of ${network.subnet}`);
  }
  const range = network.ipRange === undefined ? undefined : parseCidr(network.ipRange);
  if (range !== undefined && !contains(range, ip)) {
    throw errors.invalidArgument('invalid-ip-address', `${field}: ${address} is outside the IP range ${network.ipRange ?? ''} of network ${network.name}`);
  }
  if (formatIpv4(ip) === network.gateway) throw errors.invalidArgument('invalid-ip-address', `${field}: ${address} is the gateway of network ${network.name}`);
  return formatIpv4(ip);
}

/** `02:42:AC:11:00:02` → lower case. Throws invalid-argument (`invalid-mac-address`) unless a unicast MAC-48. */
export function checkMacAddress(mac: string, field: string): string {
  const normal = mac.toLowerCase();
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(normal)) throw errors.invalidArgument('invalid-mac-address', `${field}: "${mac}" is not a MAC address (xx:xx:xx:xx:xx:xx)`);
  if ((parseInt(normal.slice(0, 2), 16) & 1) === 1) throw errors.invalidArgument('invalid-mac-address', `${field}: ${mac} is a multicast address`);
  return normal;
}

/** The endpoint (another container's) that holds `ip` or `mac` on the network, if any. */
export function addressInUse(endpoints: readonly EndpointRecord[], containerId: string, wanted: StaticEndpoint): EndpointRecord | undefined {
  return endpoints.find((e) => e.containerId !== containerId
    && ((wanted.ipv4Address !== undefined && e.ip === wanted.ipv4Address) || (wanted.macAddress !== undefined && e.mac === wanted.macAddress)));
}
