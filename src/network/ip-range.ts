/**
 * `--ip-range`: the block of a network's subnet that dynamic addresses come from (Docker's
 * IPAM.Config.IPRange), and the ranges host-local hands addresses out of: the range (or the whole
 * subnet) without the subnet's own address (and IPv4's broadcast), split around reserved addresses
 * (AuxiliaryAddresses). Static addresses (`--ip`) must lie inside the range too, since host-local
 * hands out only what its ranges hold. Pure.
 */
import { errors } from '../base/errors.js';
import { blockSize, contains, formatCidr, formatIpv4, requireCidr, type Ipv4Block } from './ipv4.js';
import { contains6, formatCidr6, formatIpv6, lastOf6, requireCidr6, type Ipv6Block } from './ipv6.js';

/** The canonical range; throws invalid-argument (`invalid-ip-range`) unless a block inside `subnet`. */
export function checkIpRange(subnet: Ipv4Block, text: string): string {
  const range = requireCidr(text, 'IPAM.Config.IPRange');
  const last = range.base + blockSize(range) - 1;
  if (!contains(subnet, range.base) || !contains(subnet, last)) {
    throw errors.invalidArgument('invalid-ip-range', `IPAM.Config.IPRange: ${text} is not inside the subnet ${formatCidr(subnet)}`);
  }
  if (blockSize(range) < 2 && (range.base === subnet.base || last === subnet.base + blockSize(subnet) - 1)) {
    throw errors.invalidArgument('invalid-ip-range', `IPAM.Config.IPRange: ${text} holds no usable address of ${formatCidr(subnet)}`);
  }
  return formatCidr(range);
}

/** As checkIpRange for an IPv6 subnet. */
export function checkIpRange6(subnet: Ipv6Block, text: string): string {
  const range = requireCidr6(text, 'IPAM.Config.IPRange');
  if (!contains6(subnet, range.base) || !contains6(subnet, lastOf6(range))) {
    throw errors.invalidArgument('invalid-ip-range', `IPAM.Config.IPRange: ${text} is not inside the subnet ${formatCidr6(subnet)}`);
  }
  if (range.prefix === 128 && range.base === subnet.base) {
    throw errors.invalidArgument('invalid-ip-range', `IPAM.Config.IPRange: ${text} holds no usable address of ${formatCidr6(subnet)}`);
  }
  return formatCidr6(range);
}

/** host-local's rangeStart/rangeEnd for a range: its addresses minus the subnet's network and broadcast. */
export function hostLocalRange(subnet: Ipv4Block, range: Ipv4Block): { rangeStart: string; rangeEnd: string } {
  const start = Math.max(range.base, subnet.base + 1);
  const end = Math.min(range.base + blockSize(range) - 1, subnet.base + blockSize(subnet) - 2);
  return { rangeStart: formatIpv4(start), rangeEnd: formatIpv4(end) };
}

/** `[first, last]` without `holes`, as the inclusive pieces left (none when every address is a hole). */
export function rangesAround(first: bigint, last: bigint, holes: readonly bigint[]): [bigint, bigint][] {
  const pieces: [bigint, bigint][] = [];
  let start = first;
  for (const hole of [...new Set(holes)].filter((h) => h >= first && h <= last).sort((a, b) => (a < b ? -1 : 1))) {
    if (hole > start) pieces.push([start, hole - 1n]);
    start = hole + 1n;
  }
  if (start <= last) pieces.push([start, last]);
  return pieces;
}

/**
 * host-local's ranges of an IPv4 pool: the whole subnet (no bounds) unless a range or reserved
 * addresses narrow it; empty when reserved addresses leave nothing.
 */
export function hostLocalRanges4(subnet: Ipv4Block, range: Ipv4Block | undefined, reserved: readonly number[]): { rangeStart?: string; rangeEnd?: string }[] {
  if (reserved.length === 0) return [range === undefined ? {} : hostLocalRange(subnet, range)];
  const first = BigInt(Math.max((range ?? subnet).base, subnet.base + 1));
  const last = BigInt(Math.min((range ?? subnet).base + blockSize(range ?? subnet) - 1, subnet.base + blockSize(subnet) - 2));
  return rangesAround(first, last, reserved.map((r) => BigInt(r))).map(([a, b]) => ({ rangeStart: formatIpv4(Number(a)), rangeEnd: formatIpv4(Number(b)) }));
}

/** As hostLocalRanges4 for an IPv6 pool (no broadcast in IPv6: the last address is usable). */
export function hostLocalRanges6(subnet: Ipv6Block, range: Ipv6Block | undefined, reserved: readonly bigint[]): { rangeStart?: string; rangeEnd?: string }[] {
  if (range === undefined && reserved.length === 0) return [{}];
  const scope = range ?? subnet;
  const first = scope.base > subnet.base ? scope.base : subnet.base + 1n;
  return rangesAround(first, lastOf6(scope), reserved).map(([a, b]) => ({ rangeStart: formatIpv6(a), rangeEnd: formatIpv6(b) }));
}
