/**
 * Which subnets, VXLAN ids and names the cluster's networks hold: one stored object
 * (`network-pool`), rewritten with every network create and remove under compare-and-swap, so
 * two creates at once can never take the same subnet, id or name. Pure planning here; the
 * manager stores the result.
 */
import { z } from 'zod';
import { BerthError, errors } from '../../base/errors.js';
import { MAX_VNI } from '../../wire/overlays.js';
import type { NetworkSpec } from '../objects/network.js';
import { blockSize, formatBlock, formatIpv4, overlaps, parseBlock, parseHostAddress, type Ipv4Block } from './ipv4-block.js';

export const poolEntrySchema = z.object({ name: z.string(), subnet: z.string(), vni: z.number().int() });
export const networkPoolSchema = z.object({ networks: z.record(z.string(), poolEntrySchema) });
export type NetworkPool = z.infer<typeof networkPoolSchema>;

/** The pool's one object id. */
export const NETWORK_POOL_ID = 'default';

/** Where chosen subnets come from (Swarm's default address pool), in /24s from 10.0.1.0 upward. */
const DEFAULT_POOL: Ipv4Block = { base: 10 * 2 ** 24, prefix: 8 };
const DEFAULT_SIZE = 24;
/** The first VXLAN id handed out (Swarm's are above 4096). */
const FIRST_VNI = 4097;
/** The ingress network's subnet and VXLAN id when free (Swarm's). */
const INGRESS_BLOCK: Ipv4Block = { base: 10 * 2 ** 24, prefix: 24 };
const INGRESS_VNI = 4096;

export interface NetworkPlan {
  readonly subnet: string;
  readonly gateway: string;
  readonly vni: number;
}

/**
 * The subnet, gateway and VXLAN id of a new network. Throws conflict `network-name-in-use` when
 * a network has the name, conflict `subnet-overlap` naming the network whose subnet overlaps a
 * given one, invalid-argument for a bad subnet or gateway, resource-exhausted when no /24 or id is left.
 */
export function planNetwork(pool: NetworkPool, spec: NetworkSpec): NetworkPlan {
  const entries = Object.values(pool.networks);
  if (entries.some((entry) => entry.name === spec.name)) throw errors.conflict('network-name-in-use', `network with name ${spec.name} already exists`);
  const taken = entries.map((entry) => ({ entry, block: parseBlock(entry.subnet, 'subnet') }));
  let block: Ipv4Block;
  if (spec.ipam.subnet !== undefined) {
    block = parseBlock(spec.ipam.subnet, '--subnet');
    const clash = taken.find((t) => overlaps(t.block, block));
    if (clash !== undefined) throw errors.conflict('subnet-overlap', `subnet ${formatBlock(block)} overlaps network ${clash.entry.name} (${clash.entry.subnet})`);
  } else {
    if (spec.ipam.gateway !== undefined) throw errors.invalidArgument('gateway-without-subnet', '--gateway needs --subnet');
    const blocks = taken.map((t) => t.block);
    block = spec.ingress && !blocks.some((b) => overlaps(b, INGRESS_BLOCK)) ? INGRESS_BLOCK : firstFreeBlock(blocks);
  }
  const gateway = spec.ipam.gateway === undefined ? block.base + 1 : parseHostAddress(spec.ipam.gateway, block, '--gateway');
  const used = new Set(entries.map((entry) => entry.vni));
  let vni = spec.ingress ? INGRESS_VNI : FIRST_VNI;
  while (used.has(vni)) vni++;
  if (vni > MAX_VNI) throw new BerthError('resource-exhausted', 'vni-exhausted', 'every VXLAN id is in use');
  return { subnet: formatBlock(block), gateway: formatIpv4(gateway), vni };
}

function firstFreeBlock(taken: readonly Ipv4Block[]): Ipv4Block {
  const step = 2 ** (32 - DEFAULT_SIZE);
  for (let base = DEFAULT_POOL.base + step; base < DEFAULT_POOL.base + blockSize(DEFAULT_POOL); base += step) {
    const candidate = { base, prefix: DEFAULT_SIZE };
    if (!taken.some((block) => overlaps(block, candidate))) return candidate;
  }
  throw new BerthError('resource-exhausted', 'subnets-exhausted', 'no /24 of 10.0.0.0/8 is free for a new network: give one with --subnet');
}
