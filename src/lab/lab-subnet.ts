/**
 * The lab bridge's subnet (pure): the first /24 of 10.250.0.0/16 that overlaps no route of the
 * host (other labs' bridges and berth networks show there), or the caller's choice. The host side
 * of the bridge takes the first address, node i the (i + 2)th.
 */
import { BerthError, errors } from '../base/errors.js';
import { blockSize, formatCidr, formatIpv4, overlaps, parseCidr, type Ipv4Block } from '../network/ipv4.js';

const POOL = { base: parseCidr('10.250.0.0/16')?.base ?? 0, prefix: 16 };

export interface LabSubnet {
  /** CIDR, e.g. `10.250.0.0/24`. */
  subnet: string;
  /** The bridge's (the host's) address. */
  hostAddress: string;
  /** The nodes' addresses, in node order. */
  nodeAddresses: string[];
  prefix: number;
}

/** Addresses of a block for `nodes` nodes; invalid-argument when it is too small. */
function addressesIn(block: Ipv4Block, nodes: number, field: string): LabSubnet {
  // network, host, nodes…, broadcast
  if (blockSize(block) < nodes + 3) throw errors.invalidArgument('lab-subnet-too-small', `${field} ${formatCidr(block)}: too small for ${nodes} nodes, the host and the bridge`);
  return {
    subnet: formatCidr(block),
    hostAddress: formatIpv4(block.base + 1),
    nodeAddresses: Array.from({ length: nodes }, (_, i) => formatIpv4(block.base + 2 + i)),
    prefix: block.prefix,
  };
}

/**
 * `requested`: the caller's subnet (CIDR), checked against `taken` (conflict `lab-subnet-in-use`
 * when it overlaps one); otherwise the first free /24 of the pool (resource-exhausted when none).
 * `taken`: route destinations of the host (`default` and other non-blocks are ignored).
 */
export function chooseLabSubnet(nodes: number, taken: readonly string[], requested?: string): LabSubnet {
  const blocks = taken.map((t) => parseCidr(t.includes('/') ? t : `${t}/32`)).filter((b): b is Ipv4Block => b !== undefined);
  if (requested !== undefined) {
    const block = parseCidr(requested);
    if (block === undefined || block.prefix > 30 || block.prefix < 8) throw errors.invalidArgument('invalid-lab-subnet', `subnet ${JSON.stringify(requested)}: want an IPv4 CIDR block between /8 and /30`);
    const clash = blocks.find((b) => overlaps(b, block));
    if (clash !== undefined) throw errors.conflict('lab-subnet-in-use', `subnet ${formatCidr(block)}: overlaps ${formatCidr(clash)}, which the host already routes`);
    return addressesIn(block, nodes, 'subnet');
  }
  for (let base = POOL.base; base < POOL.base + blockSize(POOL); base += 256) {
    const candidate = { base, prefix: 24 };
    if (!blocks.some((b) => overlaps(b, candidate))) return addressesIn(candidate, nodes, 'subnet');
  }
  throw new BerthError('resource-exhausted', 'no-free-lab-subnet', 'no free /24 left in 10.250.0.0/16 for a lab bridge; give a subnet');
}
