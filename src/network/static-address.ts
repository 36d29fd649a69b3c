/**
 * Static endpoint settings a container may ask for on a network: an IPv4 address (`--ip`,
 * EndpointsConfig.<net>.IPAMConfig.IPv4Address), an IPv6 address (`--ip6`, IPv6Address), link-local
 * addresses (`--link-local-ip`, LinkLocalIPs) and a MAC address (`--mac-address`). Checked when the
 * container is created or connected, before anything is made; whether the address is free is
 * known only when a run attaches (`addressInUse`). Pure.
 */
import { errors } from '../base/errors.js';
import { blockSize, contains, formatIpv4, parseCidr, parseIpv4 } from './ipv4.js';
import { contains6, formatIpv6, parseCidr6, parseIpv6 } from './ipv6.js';
import type { EndpointRecord, NetworkRecord } from './network-store.js';

/** What an endpoint asks for; all optional. */
export interface StaticEndpoint {
  ipv4Address?: string;
  ipv6Address?: string;
  macAddress?: string;
}

const UNSUPPORTED = 'user specified IP address is supported only when connecting to networks with user configured subnets';

/**
 * The canonical form of a requested address on `network` (as Docker: only on a network with a
 * user-given subnet; inside it; not its network, broadcast or gateway address). Throws
 * invalid-argument (`static-ip-unsupported`, `invalid-ip-address`) naming `field`.
 */
export function checkStaticAddress(network: NetworkRecord, address: string, field: string): string {
  if (!network.userSubnet) {
    throw errors.invalidArgument('static-ip-unsupported', `${field}: ${UNSUPPORTED}`);
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
  if (network.ipam?.reserved.includes(formatIpv4(ip)) === true) {
    throw errors.invalidArgument('invalid-ip-address', `${field}: ${address} is a reserved (auxiliary) address of network ${network.name}`);
  }
  return formatIpv4(ip);
}

/**
 * As checkStaticAddress for IPv6: only on a network with IPv6 enabled and its subnet; not the
 * subnet's own address, the gateway or a reserved address; inside `--ip-range`. Returns the
 * canonical form.
 */
export function checkStaticAddress6(network: NetworkRecord, address: string, field: string): string {
  const ip = parseIpv6(address);
  if (ip === undefined) throw errors.invalidArgument('invalid-ip-address', `invalid IPv6 address: ${address}`);
  const pool = network.ipv6;
  if (pool === undefined) throw errors.invalidArgument('static-ip-unsupported', `${field}: ${UNSUPPORTED}`);
  if (!network.enableIPv6) throw errors.invalidArgument('static-ip-unsupported', `${field}: network ${network.name} was created without IPv6 (--ipv6)`);
  const block = parseCidr6(pool.subnet);
  if (block === undefined || !contains6(block, ip) || ip === block.base) {
    throw errors.invalidArgument('invalid-ip-address', `${field}: ${address} is not an address of the subnet ${pool.subnet} of network ${network.name}`);
  }
  const range = pool.ipRange === undefined ? undefined : parseCidr6(pool.ipRange);
  if (range !== undefined && !contains6(range, ip)) {
    throw errors.invalidArgument('invalid-ip-address', `${field}: ${address} is outside the IP range ${pool.ipRange ?? ''} of network ${network.name}`);
  }
  const canonical = formatIpv6(ip);
  if (canonical === pool.gateway) throw errors.invalidArgument('invalid-ip-address', `${field}: ${address} is the gateway of network ${network.name}`);
  if (pool.reserved.includes(canonical)) throw errors.invalidArgument('invalid-ip-address', `${field}: ${address} is a reserved (auxiliary) address of network ${network.name}`);
  return canonical;
}

/** `--link-local-ip`: 169.254.0.0/16 or fe80::/10 addresses, canonical. Throws invalid-argument as dockerd words it. */
export function checkLinkLocalIps(addresses: readonly string[]): string[] {
  return addresses.map((address) => {
    const v4 = parseIpv4(address);
    if (v4 !== undefined) {
      if (Math.floor(v4 / 65536) !== 169 * 256 + 254) throw errors.invalidArgument('invalid-link-local-ip', `invalid link local IP address: ${address}`);
      return formatIpv4(v4);
    }
    const v6 = parseIpv6(address);
    if (v6 === undefined) throw errors.invalidArgument('invalid-link-local-ip', `Invalid link-local IP address: [${address}]`);
    if (v6 >> 118n !== 0x3fan) throw errors.invalidArgument('invalid-link-local-ip', `invalid link local IP address: ${address}`);
    return formatIpv6(v6);
  });
}

/** `02:42:AC:11:00:02` → lower case. Throws invalid-argument (`invalid-mac-address`) unless a unicast MAC-48. */
export function checkMacAddress(mac: string, field: string): string {
  const normal = mac.toLowerCase();
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(normal)) throw errors.invalidArgument('invalid-mac-address', `${field}: "${mac}" is not a MAC address (xx:xx:xx:xx:xx:xx)`);
  if ((parseInt(normal.slice(0, 2), 16) & 1) === 1) throw errors.invalidArgument('invalid-mac-address', `${field}: ${mac} is a multicast address`);
  return normal;
}

/** The endpoint (another container's) that holds a wanted address or MAC on the network, if any. */
export function addressInUse(endpoints: readonly EndpointRecord[], containerId: string, wanted: StaticEndpoint): EndpointRecord | undefined {
  return endpoints.find((e) => e.containerId !== containerId
    && ((wanted.ipv4Address !== undefined && e.ip === wanted.ipv4Address) || (wanted.ipv6Address !== undefined && e.ip6 === wanted.ipv6Address)
      || (wanted.macAddress !== undefined && e.mac === wanted.macAddress)));
}
