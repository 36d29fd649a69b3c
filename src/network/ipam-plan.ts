/**
 * The IPAM part of a network create request (Docker's `IPAM`: driver, options, at most one pool
 * per address family) checked and turned into what the network keeps: the IPv4 pool (or none, when
 * berth is to choose a subnet), the IPv6 pool, the reserved addresses (AuxiliaryAddresses) and the
 * request as inspect shows it — Docker shows the pools as they were given (a gateway only when one
 * was given, strings as written), with a pool it chose itself shown with its gateway. Pure; throws
 * invalid-argument naming the field, not-found for an IPAM driver other than `default`.
 */
import { errors } from '../base/errors.js';
import { checkIpRange, checkIpRange6, hostLocalRanges4, hostLocalRanges6 } from './ip-range.js';
import { contains, formatCidr, formatIpv4, parseCidr, parseIpv4, requireCidr, type Ipv4Block } from './ipv4.js';
import { contains6, formatCidr6, formatIpv6, overlaps6, parseCidr6, parseIpv6, requireCidr6 } from './ipv6.js';

/** One IPAM.Config entry of a request. */
export interface IpamPoolRequest {
  subnet?: string;
  ipRange?: string;
  gateway?: string;
  auxAddresses?: Record<string, string>;
}

export interface IpamRequest {
  /** `default` (or empty); any other is refused. */
  driver?: string;
  /** IPAM.Options, kept and shown (null or absent: none given). */
  options?: Record<string, string> | null;
  config?: readonly IpamPoolRequest[];
}

/** A network's IPv6 pool (always given at create; berth has no default IPv6 pools, as dockerd 20.10). */
export interface Ipv6Pool {
  subnet: string;
  gateway: string;
  ipRange?: string;
  /** AuxiliaryAddresses: never handed out. */
  reserved: string[];
}

/** A checked IPv4 pool given at create. */
export interface Ipv4Pool {
  subnet: string;
  gateway: string;
  ipRange?: string;
  reserved: string[];
}

/** IPAM as `network inspect` shows it (see the module comment). */
export interface NetworkIpam {
  options: Record<string, string> | null;
  config: IpamPoolRequest[];
  /** Reserved addresses of the IPv4 subnet. */
  reserved: string[];
}

export interface IpamPlan {
  /** Undefined: no IPv4 pool given, berth chooses one. */
  v4?: Ipv4Pool;
  v6?: Ipv6Pool;
  options: Record<string, string> | null;
  /** The pools as given, in the order inspect shows them (IPv4 first). */
  shown: { v4?: IpamPoolRequest; v6?: IpamPoolRequest };
}

const given = (text: string | undefined): text is string => text !== undefined && text !== '';

function only(pool: IpamPoolRequest): IpamPoolRequest {
  return {
    ...(given(pool.subnet) ? { subnet: pool.subnet } : {}), ...(given(pool.ipRange) ? { ipRange: pool.ipRange } : {}),
    ...(given(pool.gateway) ? { gateway: pool.gateway } : {}),
    ...(pool.auxAddresses !== undefined && Object.keys(pool.auxAddresses).length > 0 ? { auxAddresses: { ...pool.auxAddresses } } : {}),
  };
}

/** Splits the pools by family; throws for a second pool of a family (the bridge driver has one of each). */
export function planIpam(request: IpamRequest, taken4: readonly string[], taken6: readonly string[]): IpamPlan {
  const driver = request.driver ?? '';
  if (driver !== '' && driver !== 'default') throw errors.notFound('ipam-driver-not-found', `plugin "${driver}" not found`);
  const shown: IpamPlan['shown'] = {};
  for (const pool of request.config ?? []) {
    const family = given(pool.subnet) && pool.subnet.includes(':') ? 'v6' : 'v4';
    if (shown[family] !== undefined) throw errors.invalidArgument('multiple-subnets', "bridge driver doesn't support multiple subnets");
    shown[family] = only(pool);
  }
  const plan: IpamPlan = { options: request.options ?? null, shown };
  if (shown.v4 !== undefined) {
    if (given(shown.v4.subnet)) plan.v4 = planIpv4(shown.v4, taken4);
    else if (given(shown.v4.ipRange) || given(shown.v4.gateway) || shown.v4.auxAddresses !== undefined) {
      throw errors.invalidArgument('invalid-ip-range', 'IPAM.Config: an IP range, gateway or auxiliary address needs a subnet (--subnet) to be given too');
    } else delete shown.v4;
  }
  if (shown.v6 !== undefined) plan.v6 = planIpv6(shown.v6, taken6);
  return plan;
}

function reserved4(block: Ipv4Block, aux: Record<string, string> | undefined): string[] {
  return Object.entries(aux ?? {}).map(([name, text]) => {
    const ip = parseIpv4(text);
    if (ip === undefined || !contains(block, ip)) {
      throw errors.invalidArgument('invalid-aux-address', `IPAM.Config.AuxiliaryAddresses: ${name}=${text} is not an address of ${formatCidr(block)}`);
    }
    return formatIpv4(ip);
  });
}

function planIpv4(pool: IpamPoolRequest, taken: readonly string[]): Ipv4Pool {
  const block = requireCidr(pool.subnet ?? '', 'IPAM.Config.Subnet');
  if (block.prefix > 30) throw errors.invalidArgument('invalid-subnet', `IPAM.Config.Subnet: ${pool.subnet ?? ''} is too small`);
  if (taken.some((t) => { const b = parseCidr(t); return b !== undefined && (contains(b, block.base) || contains(block, b.base)); })) {
    throw errors.invalidArgument('subnet-overlap', `IPAM.Config.Subnet: ${pool.subnet ?? ''} overlaps another network`);
  }
  const subnet = formatCidr(block);
  const gateway = given(pool.gateway) ? pool.gateway : formatIpv4(block.base + 1);
  const gw = parseIpv4(gateway);
  if (gw === undefined || !contains(block, gw)) throw errors.invalidArgument('invalid-gateway', `IPAM.Config.Gateway: ${gateway} is not in ${subnet}`);
  const ipRange = given(pool.ipRange) ? checkIpRange(block, pool.ipRange) : undefined;
  const reserved = reserved4(block, pool.auxAddresses);
  const range = ipRange === undefined ? undefined : parseCidr(ipRange);
  if (hostLocalRanges4(block, range, reserved.map((r) => parseIpv4(r) ?? 0)).length === 0) {
    throw errors.invalidArgument('invalid-aux-address', `IPAM.Config.AuxiliaryAddresses: no address of ${ipRange ?? subnet} is left for containers`);
  }
  return { subnet, gateway: formatIpv4(gw), ...(ipRange === undefined ? {} : { ipRange }), reserved };
}

function planIpv6(pool: IpamPoolRequest, taken: readonly string[]): Ipv6Pool {
  const block = requireCidr6(pool.subnet ?? '', 'IPAM.Config.Subnet');
  if (block.prefix > 126) throw errors.invalidArgument('invalid-subnet', `IPAM.Config.Subnet: ${pool.subnet ?? ''} is too small`);
  if (taken.some((t) => { const b = parseCidr6(t); return b !== undefined && overlaps6(b, block); })) {
    throw errors.invalidArgument('subnet-overlap', `IPAM.Config.Subnet: ${pool.subnet ?? ''} overlaps another network`);
  }
  const subnet = formatCidr6(block);
  const gw = given(pool.gateway) ? parseIpv6(pool.gateway) : block.base + 1n;
  if (gw === undefined || !contains6(block, gw) || gw === block.base) {
    throw errors.invalidArgument('invalid-gateway', `IPAM.Config.Gateway: ${pool.gateway ?? ''} is not an address of ${subnet}`);
  }
  const ipRange = given(pool.ipRange) ? checkIpRange6(block, pool.ipRange) : undefined;
  const reserved = Object.entries(pool.auxAddresses ?? {}).map(([name, text]) => {
    const ip = parseIpv6(text);
    if (ip === undefined || !contains6(block, ip)) {
      throw errors.invalidArgument('invalid-aux-address', `IPAM.Config.AuxiliaryAddresses: ${name}=${text} is not an address of ${subnet}`);
    }
    return ip;
  });
  const range = ipRange === undefined ? undefined : parseCidr6(ipRange);
  if (hostLocalRanges6(block, range, reserved).length === 0) {
    throw errors.invalidArgument('invalid-aux-address', `IPAM.Config.AuxiliaryAddresses: no address of ${ipRange ?? subnet} is left for containers`);
  }
  return { subnet, gateway: formatIpv6(gw), ...(ipRange === undefined ? {} : { ipRange }), reserved: reserved.map(formatIpv6) };
}
