/**
 * Automatic subnet choice for a new network: the first /24 of 10.89.0.0/16 (then 10.90.0.0/16 …
 * up to 10.127.0.0/16) that overlaps neither a route of the host nor another berth network. Pure:
 * the caller reads the host's routes (`ip -j route`) and the networks it knows.
 */
import { BerthError } from '../base/errors.js';
import { formatCidr, formatIpv4, overlaps, parseCidr, type Ipv4Block } from './ipv4.js';

const FIRST = parseCidr('10.89.0.0/24') as Ipv4Block;
const LAST_BASE = parseCidr('10.127.255.0/24') as Ipv4Block;

export interface SubnetChoice {
  subnet: string;
  gateway: string;
}

/**
 * `taken`: CIDR blocks (or single addresses) in use. Routes such as `default` are not blocks and
 * are ignored. Throws resource-exhausted (`no-free-subnet`) when every candidate is taken.
 */
export function chooseSubnet(taken: readonly string[]): SubnetChoice {
  const blocks = taken.map((t) => parseCidr(t.includes('/') ? t : `${t}/32`)).filter((b): b is Ipv4Block => b !== undefined);
  for (let base = FIRST.base; base <= LAST_BASE.base; base += 256) {
    const candidate = { base, prefix: 24 };
    if (!blocks.some((b) => overlaps(b, candidate))) return { subnet: formatCidr(candidate), gateway: formatIpv4(base + 1) };
  }
  throw new BerthError('resource-exhausted', 'no-free-subnet', 'no free /24 left in 10.89.0.0 – 10.127.255.0 for a new network; give --subnet');
}

/** The `dst` of every route in `ip -j route` output (JSON array). */
export function routeDestinations(ipRouteJson: string): string[] {
  const parsed: unknown = JSON.parse(ipRouteJson === '' ? '[]' : ipRouteJson);
  if (!Array.isArray(parsed)) return [];
  const out: string[] = [];
  for (const route of parsed as unknown[]) {
    if (typeof route !== 'object' || route === null || !('dst' in route)) continue;
    const dst: unknown = route.dst;
    if (typeof dst === 'string') out.push(dst);
  }
  return out;
}
