/**
 * `--ip-range`: the block of a network's subnet that dynamic addresses come from (Docker's
 * IPAM.Config.IPRange). host-local takes it as rangeStart/rangeEnd; static addresses (`--ip`)
 * must lie inside it too, since host-local hands out only what its range holds. Pure.
 */
import { errors } from '../base/errors.js';
import { blockSize, contains, formatCidr, formatIpv4, requireCidr, type Ipv4Block } from './ipv4.js';

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

/** host-local's rangeStart/rangeEnd for a range: its addresses minus the subnet's network and broadcast. */
export function hostLocalRange(subnet: Ipv4Block, range: Ipv4Block): { rangeStart: string; rangeEnd: string } {
  const start = Math.max(range.base, subnet.base + 1);
  const end = Math.min(range.base + blockSize(range) - 1, subnet.base + blockSize(subnet) - 2);
  return { rangeStart: formatIpv4(start), rangeEnd: formatIpv4(end) };
}
